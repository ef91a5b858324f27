import { afterAll, beforeAll, describe, expect } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { checkFolder, created, ex, ngsiError, noContent, status, type Expectation } from '../helpers/postman-assert'
import { runWithNewman, type CollectionJson, type CollectionRequest, type Exchange } from '../helpers/postman-collection-run'
import { STORE_1_KV } from '../helpers/tutorial-stores'
import { waitFor } from '../helpers/wait-for'

/**
 * Folders "Tutorial 4", "Tutorial 6" and "Tutorial 8" of the seed's Postman collection, each run by
 * newman against a fresh engine, requests unchanged but for their URLs' origins (mapped to the
 * engine's ephemeral ports): tutorial 4's context provider, the IoT Agent JSON over HTTP with the
 * tutorial's HTTP dummy device, and the history (Cygnus's sink, STH-Comet's API) — every one of
 * them built in (docs/compatibility/tutorial-services.md, iot-agent-json.md, cygnus.md,
 * sth-comet.md). Called by test/integration/postman-collection.test.ts, the one test that reads
 * the collection.
 */

/** The collection's origins and the engine endpoint that serves each. */
const ENDPOINT_OF_ORIGIN: Readonly<Record<string, string>> = {
  'http://localhost:1026': 'NGSI-v2 context broker',
  'http://localhost:4041': 'IoT Agent JSON north API',
  'http://localhost:4042': 'IoT Agent UltraLight north API',
  'http://localhost:7896': 'IoT Agent HTTP south port',
  'http://localhost:5000': 'Context provider',
  'http://localhost:5080': 'Cygnus management API',
  'http://localhost:8666': 'STH-Comet API'
}

const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' }
const DEVICE = 'urn:ngsi-ld:Device:001'
const HEX24 = /^[0-9a-f]{24}$/
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** T4.1 and T4.2: the two requests tutorial 4 sends to its context provider directly. */
export const PROVIDER_REQUESTS: Expectation[] = [
  {
    label: 'T4.1',
    name: 'Verificar saúde',
    expected: `200 {"relative humidity": 0–100, "temperature": 10–40} from the provider (localhost:5000 in the tutorial)`,
    check: (r) => {
      status(r, 200)
      ex(r, 'Content-Type application/json', r.headers['content-type']).toBe('application/json')
      const v = r.json()
      ex(r, 'keys "relative humidity", "temperature"', Object.keys(v)).toEqual(['relative humidity', 'temperature'])
      ex(r, 'relative humidity 0–100', v['relative humidity'] >= 0 && v['relative humidity'] <= 100).toBe(true)
      ex(r, 'temperature 10–40', v.temperature >= 10 && v.temperature <= 40).toBe(true)
    }
  },
  {
    label: 'T4.2',
    name: 'Verificar busca',
    expected: '200 [Store:001 with random relativeHumidity and temperature, type Number]',
    check: (r) => {
      status(r, 200)
      const list = r.json()
      ex(r, 'one entity', list).toHaveLength(1)
      ex(r, 'Store:001 with both attributes', list[0]).toEqual({
        id: 'urn:ngsi-ld:Store:001',
        relativeHumidity: { type: 'Number', value: expect.any(Number) },
        temperature: { type: 'Number', value: expect.any(Number) },
        type: 'Store'
      })
      ex(r, 'relativeHumidity 0–100', list[0].relativeHumidity.value >= 0 && list[0].relativeHumidity.value <= 100).toBe(true)
      ex(r, 'temperature 10–40', list[0].temperature.value >= 10 && list[0].temperature.value <= 40).toBe(true)
    }
  }
]

/** A fresh engine for one folder: its answers by label, and direct requests for checks between steps. */
class FreshRun {
  run: RunningEngine | undefined
  readonly got = new Map<string, Exchange>()
  readonly origins: Record<string, string> = {}
  ngsi = ''

  async start(): Promise<void> {
    this.run = await startEngine()
    for (const [origin, name] of Object.entries(ENDPOINT_OF_ORIGIN)) {
      const address = this.run.engine.endpoints().find((e) => e.name === name)?.addresses[0]
      if (!address) throw new Error(`the engine serves no "${name}" (for ${origin})`)
      this.origins[origin] = `http://127.0.0.1:${address.port}`
    }
    this.ngsi = this.origins['http://localhost:1026']!
  }

  /** Runs the folder in order; `pauses[label]` runs after that request (the folder then runs in pieces). */
  async runFolder(collection: CollectionJson, requests: CollectionRequest[], pauses: Record<string, () => Promise<void>> = {}): Promise<void> {
    let piece: CollectionRequest[] = []
    for (const r of requests) {
      piece.push(r)
      const pause = pauses[r.label]
      if (pause || r === requests.at(-1)) {
        for (const x of await runWithNewman(collection, piece, { origins: this.origins })) this.got.set(x.label, x)
        piece = []
        await pause?.()
      }
    }
  }

  /** A direct GET (not part of the collection), in the tutorial's tenant: status and JSON body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON is untyped by nature: the assertions check its shape
  async get(origin: string, path: string, headers: Record<string, string> = TENANT): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.origins[origin]}${path}`, { headers, signal: AbortSignal.timeout(10_000) })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }

  /** The device's entity in keyValues once `ready` holds for it. */
  async entityWhen(ready: (e: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    return waitFor(
      async () => {
        const r = await this.get('http://localhost:1026', `/v2/entities/${DEVICE}?type=Device&options=keyValues`)
        return r.status === 200 && ready(r.body) ? (r.body as Record<string, unknown>) : undefined
      },
      what,
      20_000
    )
  }

  async stop(): Promise<void> {
    await this.run?.dispose()
  }
}

/** A record of what a pause saw, read by the request checks (a missing record fails the check). */
class Seen {
  private readonly records = new Map<string, unknown>()
  set(key: string, value: unknown): void {
    this.records.set(key, value)
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- records hold answers' JSON
  get(key: string): any {
    if (!this.records.has(key)) throw new Error(`nothing seen "${key}": that step did not run`)
    return this.records.get(key)
  }
}

export function describeFreshFolders(available: boolean, collection: CollectionJson, requests: CollectionRequest[]): void {
  const folder = (tutorial: number): CollectionRequest[] => requests.filter((r) => r.tutorial === tutorial)

  describe.skipIf(!available)('Tutorial 4 on a fresh engine: the store reads its temperature from the built-in provider', () => {
    const fresh = new FreshRun()
    beforeAll(async () => {
      await fresh.start()
      await fresh.runFolder(collection, folder(4))
    }, 60_000)
    afterAll(() => fresh.stop())

    checkFolder(
      folder(4),
      [
        ...PROVIDER_REQUESTS,
        { label: '#46', name: 'Criar loja 1', expected: '201, Location /v2/entities/urn:ngsi-ld:Store:001?type=Store', check: (r) => void created(r, '/v2/entities/urn:ngsi-ld:Store:001?type=Store') },
        { label: '#47', name: 'Registrar contexto da loja 1', expected: '201, Location /v2/registrations/<24 hex>', check: (r) => void created(r, /^\/v2\/registrations\/[0-9a-f]{24}$/) },
        {
          label: '#48',
          name: 'Obter loja 1',
          expected: '200 the local attributes and relativeHumidity 0–100, temperature 10–40 from the built-in provider',
          check: (r) => {
            status(r, 200)
            const store = r.json()
            ex(r, 'the store, then the provided attributes', store).toEqual({ ...STORE_1_KV, relativeHumidity: expect.any(Number), temperature: expect.any(Number) })
            ex(r, 'temperature 10–40', store.temperature >= 10 && store.temperature <= 40).toBe(true)
          }
        },
        {
          label: '#49',
          name: 'Obter registros',
          expected: '200 [the registration of #47]',
          check: (r) => {
            status(r, 200)
            ex(r, 'one registration, to context-provider:5000', r.json()).toMatchObject([{ id: expect.stringMatching(HEX24), provider: { http: { url: 'http://context-provider:5000' } }, status: 'active' }])
          }
        },
        {
          label: '#50',
          name: 'Deletar registro',
          expected: '404 NotFound (the collection\'s id of 2022)',
          check: (r) => ngsiError(r, 404, 'NotFound', 'The requested registration has not been found. Check id')
        }
      ],
      { got: fresh.got, ngsiOrigin: () => fresh.ngsi }
    )
  })

  describe.skipIf(!available)('Tutorial 6 on a fresh engine: IoT Agent JSON over HTTP, the interval command answered by the built-in device', () => {
    const fresh = new FreshRun()
    const seen = new Seen()
    beforeAll(async () => {
      await fresh.start()
      await fresh.runFolder(collection, folder(6), {
        '#60': async () => {
          seen.set('after the interval', await fresh.entityWhen((e) => e.interval_status === 'OK', 'interval_status OK in the entity'))
        }
      })
    }, 60_000)
    afterAll(() => fresh.stop())

    checkFolder(
      folder(6),
      [
        { label: 'T6.1', name: 'Criar um serviço', expected: '201 {}', check: (r) => ex(r, '201 {}', [r.status, r.text]).toEqual([201, '{}']) },
        { label: 'T6.2', name: 'Provisionar um dispositivo', expected: '201 {}', check: (r) => ex(r, '201 {}', [r.status, r.text]).toEqual([201, '{}']) },
        {
          label: 'T6.3',
          name: 'Enviar dado via Agente IoT',
          expected: '200 {} (JSON measure accepted)',
          check: (r) => {
            status(r, 200)
            ex(r, 'body {}', r.text).toBe('{}')
            ex(r, 'X-Processing-Time', r.headers['x-processing-time']).toBeDefined()
          }
        },
        {
          label: '#59',
          name: 'Obter dispositivo',
          expected: '200 keyValues: refStore, temperature 10, relativeHumidity 50 (humidity mapped), TimeInstant, the commands ""',
          check: (r) => {
            status(r, 200)
            const device = r.json()
            ex(r, 'the measure in the entity', device).toEqual({ id: DEVICE, type: 'Device', refStore: 'urn:ngsi-ld:Store:001', temperature: 10, relativeHumidity: 50, TimeInstant: expect.stringMatching(ISO_MS), start: '', stop: '', interval: '' })
            ex(r, 'in the order the agent wrote them', Object.keys(device)).toEqual(['id', 'type', 'refStore', 'temperature', 'relativeHumidity', 'TimeInstant', 'start', 'stop', 'interval'])
          }
        },
        {
          label: '#60',
          name: 'Enviar comando via Orion Context Broker',
          expected: '204; the built-in dht22 answers {"interval":"Interval changed"}: interval_status OK',
          check: (r) => {
            noContent(r)
            ex(r, 'interval_status OK with the device\'s answer', seen.get('after the interval')).toMatchObject({ interval_status: 'OK', interval_info: 'Interval changed' })
          }
        }
      ],
      { got: fresh.got, ngsiOrigin: () => fresh.ngsi }
    )
  })

  describe.skipIf(!available)('Tutorial 8 on a fresh engine: the device switched on, its temperature history read through STH-Comet', () => {
    const fresh = new FreshRun()
    const seen = new Seen()
    beforeAll(async () => {
      await fresh.start()
      await fresh.runFolder(collection, folder(8), {
        '#64': async () => {
          seen.set('after the switch', await fresh.entityWhen((e) => e.switch_status === 'OK' && typeof e.temperature === 'number', 'switch OK and a first measure'))
        },
        '#67': async () => {
          // The subscriptions notify the next change (no initial notification): the device's next measure.
          const path = `/STH/v1/contextEntities/type/Device/id/${DEVICE}/attributes/temperature?lastN=10`
          seen.set(
            'history',
            await waitFor(
              async () => {
                const r = await fresh.get('http://localhost:8666', path)
                return r.status === 200 && r.body.contextResponses?.[0]?.contextElement?.attributes?.[0]?.values?.length > 0 ? r : undefined
              },
              'a temperature point in the history',
              20_000
            )
          )
        }
      })
    }, 90_000)
    afterAll(() => fresh.stop())

    checkFolder(
      folder(8),
      [
        {
          label: 'T8.1',
          name: 'Verificar saúde do Cygnus',
          expected: '200 {"success":"true","version":…}',
          check: (r) => {
            status(r, 200)
            ex(r, 'Cygnus\'s version answer', r.json()).toMatchObject({ success: 'true', version: expect.any(String) })
          }
        },
        { label: 'T8.2', name: 'Criar um grupo de serviço', expected: '201 {}', check: (r) => ex(r, '201 {}', [r.status, r.text]).toEqual([201, '{}']) },
        { label: 'T8.3', name: 'Providenciar um dispositivo', expected: '201 {}', check: (r) => ex(r, '201 {}', [r.status, r.text]).toEqual([201, '{}']) },
        {
          label: '#64',
          name: 'Iniciar envio dos dados',
          expected: '204; the built-in device1 answers "Started sending data" and posts t/rh to /iot/json',
          check: (r) => {
            noContent(r)
            ex(r, 'switch OK, then measures', seen.get('after the switch')).toMatchObject({ switch_status: 'OK', switch_info: 'Started sending data', temperature: expect.any(Number), relativeHumidity: expect.any(Number) })
          }
        },
        {
          label: '#65',
          name: 'Obter dispositivo',
          expected: '200 keyValues with refStore, the switch result, TimeInstant, temperature 10–40, relativeHumidity 0–100',
          check: (r) => {
            status(r, 200)
            const device = r.json()
            ex(r, 'the device entity', device).toEqual({
              id: DEVICE,
              type: 'Device',
              refStore: 'urn:ngsi-ld:Store:001',
              switch_status: 'OK',
              TimeInstant: expect.stringMatching(ISO_MS),
              switch_info: 'Started sending data',
              temperature: expect.any(Number),
              relativeHumidity: expect.any(Number),
              switch: ''
            })
            ex(r, 'measures in range', [device.temperature >= 10 && device.temperature <= 40, device.relativeHumidity >= 0 && device.relativeHumidity <= 100]).toEqual([true, true])
          }
        },
        { label: '#66', name: 'Assinar a mudanças no contexto', expected: '201, Location /v2/subscriptions/<24 hex>', check: (r) => void created(r, /^\/v2\/subscriptions\/[0-9a-f]{24}$/) },
        {
          label: '#67',
          name: 'Assinar a mudanças simplificado',
          expected: '201; the temperature history then readable through STH-Comet',
          check: (r) => {
            created(r, /^\/v2\/subscriptions\/[0-9a-f]{24}$/)
            const history = seen.get('history').body
            const attribute = history.contextResponses[0].contextElement.attributes[0]
            ex(r, 'STH-Comet raw data of temperature', attribute.name).toBe('temperature')
            for (const v of attribute.values) ex(r, 'each point with recvTime and a value 10–40', [ISO_MS.test(v.recvTime), Number(v.attrValue) >= 10 && Number(v.attrValue) <= 40]).toEqual([true, true])
          }
        },
        {
          label: '#68',
          name: 'Obter assinatura',
          expected: '200 the two subscriptions to cygnus:5050/notify, throttling 5',
          check: (r) => {
            status(r, 200)
            const subs = r.json()
            ex(r, 'two subscriptions', subs.map((s: { notification: { http: { url: string } }; throttling: number }) => [s.notification.http.url, s.throttling])).toEqual([
              ['http://cygnus:5050/notify', 5],
              ['http://cygnus:5050/notify', 5]
            ])
          }
        },
        {
          label: '#69',
          name: 'Deletar assinatura',
          expected: '404 NotFound (the collection\'s id of 2022)',
          check: (r) => ngsiError(r, 404, 'NotFound', 'The requested subscription has not been found. Check id')
        }
      ],
      { got: fresh.got, ngsiOrigin: () => fresh.ngsi }
    )
  })
}
