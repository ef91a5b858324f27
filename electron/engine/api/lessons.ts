import type { EngineApi, LessonContextDto, LessonProgressDto, ServiceEndpoint } from '../../../shared/contract'
import type { ShowMeApi } from '../../../shared/lessons'
import type { MqttBroker } from '../broker/types'
import type { ContextSide } from '../compose-context'
import { clearLessonTenant, type LessonProvisioning } from '../lessons/reset'
import type { LessonsRuntime } from '../lessons/runtime'
import { runShowMe, type ShowMeTargets } from '../lessons/show-me'
import { tenantContext } from '../lessons/tenant-context'
import type { Logger } from '../log/logger'
import { isLoopbackHost } from '../../../shared/loopback'
import { urlHost } from '../net/listen'
import { ApiRequestError } from './errors'
import { Throttle, type EventHub } from './events'

export interface LessonsSources {
  readonly lessons: LessonsRuntime
  /** Each agent's provisioning (UltraLight, and JSON when the engine has it): a reset clears the tenant in both. */
  readonly provisioning: LessonProvisioning | readonly LessonProvisioning[]
  readonly context: ContextSide
  readonly broker: Pick<MqttBroker, 'publish'>
  readonly logger: Pick<Logger, 'write'>
  endpoints(): ServiceEndpoint[]
}

/** The HTTP placeholders of a lesson's commands (docs/lessons.md) and the endpoint role each names. */
const HTTP_PLACEHOLDERS = [
  ['north', 'iota-north'],
  ['jsonNorth', 'iota-json-north'],
  ['south', 'iota-south'],
  ['cygnus', 'cygnus'],
  ['cygnusApi', 'cygnus-api'],
  ['sth', 'sth']
] as const satisfies ReadonlyArray<readonly [string, ServiceEndpoint['role']]>

/** Where the engine's services are: as shown to the trainee (placeholders) and as its own requests reach them (`urls`). */
export function lessonAddresses(endpoints: ServiceEndpoint[]): { shown: Record<string, string>; urls: Record<ShowMeApi, string> } {
  const by = (role: ServiceEndpoint['role']): ServiceEndpoint | undefined => endpoints.find((e) => e.role === role)
  const reach = (e: ServiceEndpoint | undefined): string => {
    const a = e?.addresses[0]
    return a ? `http://${urlHost(a.host)}:${a.port}` : (e?.urls[0] ?? '')
  }
  const ngsi = by('ngsi') ?? by('ngsi-external')
  const shown: Record<string, string> = { ngsi: ngsi?.urls[0] ?? '' }
  for (const [name, role] of HTTP_PLACEHOLDERS) shown[name] = by(role)?.urls[0] ?? ''
  const urls: Record<ShowMeApi, string> = {
    ngsi: reach(ngsi),
    north: reach(by('iota-north')),
    'json-north': reach(by('iota-json-north')),
    south: reach(by('iota-south')),
    'cygnus-api': reach(by('cygnus-api')),
    sth: reach(by('sth'))
  }
  const mqtt = by('mqtt')
  if (mqtt?.addresses[0]) {
    shown.mqttHost = 'localhost'
    shown.mqttPort = String(mqtt.addresses[0].port)
  } else {
    const external = by('mqtt-external')?.urls[0]
    try {
      const u = new URL(external ?? '')
      shown.mqttHost = u.hostname
      shown.mqttPort = u.port || (u.protocol === 'mqtts:' ? '8883' : '1883')
    } catch {
      shown.mqttHost = ''
      shown.mqttPort = ''
    }
  }
  return { shown, urls }
}

/**
 * A classroom trainee reaches the engine by the name or address the page was opened with, not by
 * `localhost`: the commands the lesson shows use that host (when the engine listens there).
 */
function showFrom(shown: Record<string, string>, host: string): void {
  for (const key of ['ngsi', ...HTTP_PLACEHOLDERS.map(([name]) => name)]) {
    try {
      const u = new URL(shown[key] ?? '')
      if (!isLoopbackHost(u.hostname)) continue
      u.hostname = host.includes(':') ? `[${host}]` : host
      shown[key] = u.origin
    } catch {
      // No such service: nothing to show.
    }
  }
  if (shown.mqttHost !== undefined && isLoopbackHost(shown.mqttHost)) shown.mqttHost = host
}

/** The lesson requests, for whichever runtime: the user's, or a classroom trainee's. */
export type LessonRequests = Pick<EngineApi, 'lessons.list' | 'lessons.get' | 'lessons.reset' | 'lessons.showMe'>

/**
 * Sends, at most ten times a second, the progress of each lesson of `lessons` that changed;
 * returns the function that stops.
 */
export function lessonProgressStream(lessons: LessonsRuntime, emit: (batch: LessonProgressDto[]) => void): () => void {
  let dirty = new Set<string>()
  const throttle = new Throttle(() => {
    const ids = dirty
    dirty = new Set()
    const batch = [...ids].map((id) => lessons.progress(id)).filter((p): p is LessonProgressDto => p !== undefined)
    if (batch.length) emit(batch)
  })
  const off = lessons.onProgress((p) => {
    dirty.add(p.lessonId)
    throttle.request()
  })
  return () => {
    off()
    throttle.cancel()
  }
}

/**
 * `lessons.list`, `lessons.get`, `lessons.reset`, `lessons.showMe` of one runtime. A classroom
 * trainee's runtime has its lessons in the trainee's tenant already (lessons/personalize.ts): the
 * same code serves both.
 */
export function lessonRequests(src: Omit<LessonsSources, 'lessons'>, lessons: LessonsRuntime, shownHost?: string): LessonRequests {
  const tenant = tenantContext(src.context)
  const find = (id: string) => {
    const lesson = lessons.lesson(id)
    if (!lesson) throw new ApiRequestError('NOT_FOUND', `no lesson "${id}"`, 404)
    return lesson
  }

  const context = (service: string, servicePath: string): LessonContextDto => {
    const { shown } = lessonAddresses(src.endpoints())
    if (shownHost !== undefined) showFrom(shown, shownHost)
    return { service, servicePath, placeholders: { ...shown, service, servicePath } }
  }

  return {
    'lessons.list': async () => lessons.list(),
    'lessons.get': async ({ id }) => {
      const lesson = find(id)
      const progress = lessons.open(id)!
      return { lesson, context: context(lesson.service, lesson.servicePath), progress }
    },
    'lessons.reset': async ({ id }) => {
      const lesson = find(id)
      const counts = await clearLessonTenant(lesson, src.provisioning, tenant)
      src.logger.write(
        'INFO',
        'lessons',
        'LESSON_RESET',
        `lesson ${id}: tenant "${lesson.service}" ${lesson.servicePath} cleared (${counts.devices} devices, ${counts.groups} groups, ${counts.entities} entities, ${counts.registrations} registrations, ${counts.subscriptions} subscriptions)`
      )
      return { progress: lessons.clearProgress(id)! }
    },
    'lessons.showMe': async ({ id, stepId }) => {
      const lesson = find(id)
      const step = lesson.steps.find((s) => s.id === stepId)
      if (!step) throw new ApiRequestError('NOT_FOUND', `lesson "${id}" has no step "${stepId}"`, 404)
      if (!step.showMe) throw new ApiRequestError('NO_SHOW_ME', `step "${stepId}" of lesson "${id}" has nothing to show`, 409)
      lessons.open(id)
      const { urls } = lessonAddresses(src.endpoints())
      const targets: ShowMeTargets = {
        urls,
        service: lesson.service,
        servicePath: lesson.servicePath,
        // As a device's message: through the engine's broker, to the agent and the inspector.
        publish: (topic, payload) => src.broker.publish(topic, payload, { by: 'gui' })
      }
      const actions = await runShowMe(step, targets)
      // A trainee's runtime takes an untenanted request only from the trainee's own address, and
      // this one came from the engine itself: it is the trainee's all the same.
      if (lessons.personal) {
        for (const a of actions) {
          if (a.kind !== 'http' || a.status === undefined || 'fiware-service' in a.headers) continue
          const url = new URL(a.url)
          // Both agents' provisioning APIs report as `north` (lessons/hints.ts); the other APIs report nothing.
          const api = [urls.north, urls['json-north']].some((u) => u !== '' && a.url.startsWith(u)) ? 'north' : urls.ngsi !== '' && a.url.startsWith(urls.ngsi) ? 'ngsi' : undefined
          if (api === undefined) continue
          lessons.observeRequest({ api, method: a.method, path: url.pathname, status: a.status, tenant: false, service: '', servicePath: '/', at: Date.now() }, true)
        }
      }
      return { actions, progress: lessons.progress(id)! }
    }
  }
}

/** The user's lessons (docs/lessons.md) and the `lessons` stream of their progress. */
export function lessonsArea(src: LessonsSources, hub: EventHub): LessonRequests {
  hub.whileListened(['lessons'], () => lessonProgressStream(src.lessons, (batch) => hub.emit('lessons', batch)))
  return lessonRequests(src, src.lessons)
}
