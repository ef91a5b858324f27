/**
 * What a classroom trainee's page may do (docs/classroom.md, "What a trainee sees"): the engine
 * contract, narrowed to the trainee's own tenant and API key. Every request of the contract is
 * classified here — a record over all request names, so that a new request cannot be forgotten:
 * - `tenant`: allowed when its `scope.service` is the trainee's;
 * - `apikey`: allowed for the trainee's API key (the simulated device, publications);
 * - `own`: answered for the trainee: its lessons runtime, its record, the engine's status without
 *   the trainer's folders;
 * - `forbidden`: the engine's settings, its logs, the inspector and traces (which show every
 *   tenant's messages), fleets, the trainer's grid.
 * Event streams are filtered the same way; those a trainee may not have are refused.
 */
import type { TraineeDto } from '../../../shared/classroom'
import type { EngineApi, EventName, EventPayloads, EventSubscribe, RequestName } from '../../../shared/contract'
import { type LessonRequests, lessonProgressStream } from '../api/lessons'
import { ApiRequestError } from '../api/errors'
import type { LessonsRuntime } from '../lessons/runtime'
import { topicApikey } from './classroom'

type Rule = 'tenant' | 'apikey' | 'own' | 'forbidden'

const RULES: Record<RequestName, Rule> = {
  'engine.status': 'own',
  'engine.restart': 'forbidden',
  'groups.list': 'tenant',
  'groups.create': 'tenant',
  'groups.update': 'tenant',
  'groups.delete': 'tenant',
  'devices.list': 'tenant',
  'devices.get': 'tenant',
  'devices.create': 'tenant',
  'devices.update': 'tenant',
  'devices.delete': 'tenant',
  'entities.list': 'tenant',
  'entities.get': 'tenant',
  'commands.send': 'tenant',
  'mqtt.publish': 'apikey',
  'inspector.messages': 'forbidden',
  'inspector.topics': 'forbidden',
  'inspector.retained': 'forbidden',
  'simulator.startSeed': 'apikey',
  'simulator.stop': 'apikey',
  'simulator.list': 'own',
  'simulator.startFleet': 'forbidden',
  'simulator.stopFleet': 'forbidden',
  'simulator.httpDevices': 'own',
  'telemetry.series': 'tenant',
  'history.series': 'tenant',
  'history.list': 'tenant',
  'settings.get': 'forbidden',
  'settings.update': 'forbidden',
  'mqttAuth.get': 'forbidden',
  'mqttAuth.setUser': 'forbidden',
  'mqttAuth.deleteUser': 'forbidden',
  'mqttAuth.checkAcl': 'forbidden',
  'mqttAuth.setAcl': 'forbidden',
  'connection.test': 'forbidden',
  'provisioning.export': 'tenant',
  'provisioning.import': 'tenant',
  'logs.recent': 'forbidden',
  'lessons.list': 'own',
  'lessons.get': 'own',
  'lessons.reset': 'own',
  'lessons.showMe': 'own',
  'notifications.recent': 'own',
  'classroom.whoami': 'own',
  'classroom.grid': 'forbidden',
  'trace.get': 'forbidden',
  'trace.recent': 'forbidden'
}

/** Streams a trainee may listen to (filtered to the trainee's tenant and API key). */
export const TRAINEE_STREAMS: ReadonlySet<EventName> = new Set<EventName>(['status', 'commands', 'telemetry', 'entities', 'provisioning', 'simulator', 'lessons', 'notifications'])

export interface TraineeApiSources {
  /** The engine's full API (the one the trainer's page uses). */
  full: EngineApi & { on: EventSubscribe }
  trainee: TraineeDto
  runtime: LessonsRuntime
  lessons: LessonRequests
  /** Each request of the trainee's page (the grid's "last seen"). */
  touch(): void
}

const forbidden = (what: string): ApiRequestError => new ApiRequestError('FORBIDDEN', `${what} is not available to a trainee of the class`, 403)

export function traineeApi(src: TraineeApiSources): EngineApi & { on: EventSubscribe } {
  const { full, trainee } = src
  const ownKey = (key: string | undefined): boolean => key !== undefined && (key === trainee.apikey || key.startsWith(`${trainee.apikey}_`))
  const ownService = (service: string | undefined): boolean => (service ?? '').toLowerCase() === trainee.service

  const own: Partial<EngineApi> = {
    ...src.lessons,
    'classroom.whoami': async () => ({ role: 'trainee', trainee: { ...trainee } }),
    'engine.status': async (args) => ({ ...(await full['engine.status'](args)), dataDir: '' }),
    'simulator.list': async (args) => (await full['simulator.list'](args)).filter((d) => ownKey(d.apikey)),
    'simulator.httpDevices': async (args) => (await full['simulator.httpDevices'](args)).filter((d) => ownService(d.service)),
    'notifications.recent': async (args) => {
      if (args.service !== undefined && !ownService(args.service)) throw forbidden(`the notifications of tenant "${args.service}"`)
      return full['notifications.recent']({ ...args, service: trainee.service })
    }
  }

  const call = async (name: RequestName, args: unknown): Promise<unknown> => {
    src.touch()
    const rule = RULES[name]
    switch (rule) {
      case 'forbidden':
        throw forbidden(name)
      case 'tenant': {
        const service = (args as { scope?: { service?: string } }).scope?.service
        if (!ownService(service)) throw forbidden(`tenant "${service ?? ''}" (yours is "${trainee.service}")`)
        break
      }
      case 'apikey': {
        const a = args as { apikey?: string; topic?: string }
        const key = a.topic !== undefined ? topicApikey(a.topic) : a.apikey
        if (!ownKey(key)) throw forbidden(`API key "${key ?? ''}" (yours is "${trainee.apikey}")`)
        break
      }
      case 'own':
        return (own[name] as (a: unknown) => Promise<unknown>)(args)
    }
    const result = await (full[name] as (a: unknown) => Promise<unknown>)(args)
    // The Device page reads the entity through this API: the trainee's lessons count it as the GET of curl.
    if (name === 'entities.get') {
      const a = args as { id: string; scope: { servicePath: string } }
      src.runtime.observeRequest({ api: 'ngsi', method: 'GET', path: `/v2/entities/${a.id}`, status: 200, tenant: true, service: trainee.service, servicePath: a.scope.servicePath || '/', at: Date.now() })
    }
    return result
  }

  const requests = Object.fromEntries((Object.keys(RULES) as RequestName[]).map((name) => [name, (args: unknown) => call(name, args)])) as unknown as EngineApi

  const byService = <T extends { service: string }>(items: T[]): T[] => items.filter((x) => ownService(x.service))
  const filters: { [E in EventName]?: (p: EventPayloads[E]) => EventPayloads[E] | undefined } = {
    // The trainer's folders are not the trainee's business.
    status: (p) => ({ ...p, dataDir: '' }),
    commands: (p) => byService(p),
    telemetry: (p) => byService(p),
    entities: (p) => byService(p),
    provisioning: (p) => byService(p),
    notifications: (p) => byService(p),
    simulator: (p) => ({ devices: p.devices.filter((d) => ownKey(d.apikey)), fleets: [] })
  }

  const on: EventSubscribe = (event, listener) => {
    if (!TRAINEE_STREAMS.has(event)) throw forbidden(`the ${event} stream`)
    if (event === 'lessons') return lessonProgressStream(src.runtime, (batch) => (listener as (p: EventPayloads['lessons']) => void)(batch))
    const filter = filters[event]
    return full.on(event, (payload) => {
      const kept = filter ? filter(payload) : undefined
      if (kept === undefined || (Array.isArray(kept) && kept.length === 0)) return
      listener(kept)
    })
  }

  return { ...requests, on }
}
