import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { NGSI_TUTORIAL_REQUESTS } from '../fixtures/ngsi-tutorials'
import { TUTORIAL_7_STEPS } from '../fixtures/tutorial7'
import {
  collectionAvailable,
  COLLECTION_PATH,
  collectionRequests,
  loadCollection,
  runWithNewman,
  TUTORIAL_7,
  type CollectionJson,
  type CollectionRequest,
  type Exchange
} from '../helpers/postman-collection-run'
import { STORE_1_KV, STORE_2_KV } from '../helpers/tutorial-stores'
import { checkFolder, created, ex, jsonText, ngsiError, noContent, status, type Expectation } from '../helpers/postman-assert'
import { describeFreshFolders, PROVIDER_REQUESTS } from './postman-fresh-folders'
import { APIKEY, DEVICE_ID, ENTITY_ID, TENANT } from '../helpers/postman-tutorial7'
import { startPythonSeedDevice, type PythonSeedDevice, type ReceivedCommand } from '../helpers/python-seed-device'
import { waitFor } from '../helpers/wait-for'

/**
 * The seed's Postman collection ("Tutoriais do Fiware"), folders "Tutorial 1" … "Tutorial 5" and
 * "Tutorial 7" (and, each on a fresh engine, "Tutorial 4", "Tutorial 6" and "Tutorial 8":
 * ./postman-fresh-folders.ts), run by newman in collection order with the requests of the collection unchanged
 * but for the origins of their URLs (`http://localhost:1026`, `http://localhost:4042`,
 * `http://localhost:5000`), mapped to the ephemeral ports of one fresh engine (the tutorial's
 * context provider is built in). The collection has no tests of its own: every request
 * is checked here against what Orion 4.x / iotagent-ul answer (docs/compatibility/ngsi-v2.md §0.1, §1, §4.5, §5,
 * §8; iot-agent-ul.md §1.5, §4.9, §5).
 *
 * Requests to port 1026 are numbered as in docs/compatibility/ngsi-v2.md §0.1 (#1–#58, #61–#63); the others are named
 * `T<tutorial>.<position in the folder>` (T4.1/T4.2 go to the tutorial's context provider on port
 * 5000, T7.1–T7.3 to the IoT Agent's north port 4042).
 *
 * A folder is one newman run, except where the test has to look at the engine between two
 * requests (named in `runFolder(…, pauses)`): then the folder runs in consecutive pieces, each one
 * newman run of the collection's own items. Between pieces the test only reads (or waits for
 * asynchronous work: notifications, the device), apart from one deliberate re-run of #29.
 *
 * The collection is reference material kept beside the repository, not in it
 * (../shared/fiware-tutorials). This is the one test that reads it: it also holds the project's own
 * copies of the tutorial requests (test/fixtures) against it. Without the file the test is skipped
 * and says why; in CI (`CI` set) a missing collection is a failure.
 *
 * The registration of tutorial 4 and the subscriptions of tutorial 5 point at
 * `http://context-provider:5000`, a host name that does not resolve offline: the engine routes it
 * to its built-in provider (docs/compatibility/tutorial-services.md), so the GET of #48 gets the
 * provider's attributes as in Docker; the notification of #53 goes to the built-in notification
 * receiver and counts as answered 200, as the tutorial's provider answers
 * (docs/compatibility/ngsi-v2.md §4.6).
 */

const AVAILABLE = collectionAvailable()
const IN_CI = Boolean(process.env.CI)
if (!AVAILABLE) {
  console.warn(`postman-collection.test.ts: ${COLLECTION_PATH} not found; the replay of the collection is skipped${IN_CI ? ' (CI: this is a failure)' : ''}.`)
}
const COLLECTION: CollectionJson = AVAILABLE ? loadCollection() : { info: {}, item: [] }
const REQUESTS = collectionRequests(COLLECTION)
/** The engine's NGSI-v2 origin (`http://127.0.0.1:<port>`), once started. */
let NGSI = ''
/** The origins of the collection's URLs, mapped to the engine and the provider under test. */
const origins: Record<string, string> = {}

describe('the Postman collection file', () => {
  const title = AVAILABLE
    ? `is there to be replayed (${COLLECTION_PATH})`
    : IN_CI
      ? `is missing (${COLLECTION_PATH}); CI needs it`
      : `is missing (${COLLECTION_PATH}): the replay is skipped outside CI`
  it.skipIf(!AVAILABLE && !IN_CI)(title, () => {
    expect(AVAILABLE, `the Postman collection is missing: ${COLLECTION_PATH} (CI needs the reference material beside the repository)`).toBe(true)
  })
})

describe.skipIf(!AVAILABLE)('the tutorial requests of test/fixtures are those of the collection', () => {
  const enabledHeaders = (h: Array<{ key: string; value: string; disabled?: boolean }> | undefined): Array<[string, string]> =>
    (h ?? []).filter((x) => !x.disabled).map((x) => [x.key, x.value])
  const body = (raw: string | undefined): unknown => {
    if (raw === undefined || raw === '') return undefined
    try {
      return JSON.parse(raw)
    } catch {
      return raw
    }
  }

  it('tutorial 7: names, methods, URLs, headers and bodies, in order', () => {
    const folder = REQUESTS.filter((r) => r.folder === TUTORIAL_7)
    const shape = (name: string, r: { method: string; url: string; header?: Array<{ key: string; value: string; disabled?: boolean }>; raw?: string }) => ({
      name,
      method: r.method,
      url: r.url,
      headers: enabledHeaders(r.header),
      body: body(r.raw)
    })
    expect(TUTORIAL_7_STEPS.map((s) => shape(s.name, { ...s.request, url: s.request.url.raw, raw: s.request.body?.raw }))).toEqual(
      folder.map((r) => shape(r.name, { method: r.method, url: r.url, header: r.item.request!.header, raw: r.item.request!.body?.raw }))
    )
  })

  it('NGSI-v2 tutorials: each request of the fixture is the collection request of its number', () => {
    const byNumber = new Map(REQUESTS.filter((r) => r.spec !== undefined).map((r) => [r.spec!, r]))
    for (const f of NGSI_TUTORIAL_REQUESTS) {
      const r = byNumber.get(f.n)
      expect(r, `#${f.n}`).toBeDefined()
      expect({ tutorial: f.tutorial, name: f.name, method: f.method, url: f.url, headers: Object.entries(f.headers), body: f.json ?? body(f.body) }, `#${f.n}`).toEqual({
        tutorial: r!.tutorial,
        name: r!.name,
        method: r!.method,
        url: r!.url,
        headers: enabledHeaders(r!.item.request!.header),
        body: body(r!.item.request!.body?.raw)
      })
    }
    expect(NGSI_TUTORIAL_REQUESTS.filter((r) => r.tutorial === 5).map((r) => r.n)).toEqual(REQUESTS.filter((r) => r.tutorial === 5 && r.spec).map((r) => r.spec))
  })
})

// ------------------------------------------------------------------------------------ fixtures

let run: RunningEngine | undefined
let device: PythonSeedDevice | undefined

/** What newman got, by request label (`#17`, `T7.2`, …). */
const got = new Map<string, Exchange>()
/** A direct GET on the engine: its status and JSON body. */
interface NgsiAnswer {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON is untyped by nature: the tests' assertions are what check its shape
  body: any
}

/** What the test saw between requests, by the step it followed. */
interface Seen {
  '#29 again': Exchange | undefined
  'after #42': { p10: NgsiAnswer; p11: NgsiAnswer; p12: NgsiAnswer }
  'after #44': NgsiAnswer
  'after #45': { p001: NgsiAnswer; p010: NgsiAnswer; p011: NgsiAnswer; p012: NgsiAnswer; products: NgsiAnswer }
  'registrations after tutorial 4': NgsiAnswer
  'after #52': NgsiAnswer
  'after tutorial 5': { product: NgsiAnswer; subscriptions: NgsiAnswer }
  'before the switch': { published: number; received: number }
  'after the switch': { entity: Record<string, unknown>; received: ReceivedCommand[]; engineCommands: string[] }
  'after the interval': { entity: Record<string, unknown>; received: ReceivedCommand[]; engineCommands: string[]; registrations: NgsiAnswer }
}

/** What the test saw between requests; reading a step's record before the step ran fails the test. */
const seen = new (class {
  private readonly records = new Map<keyof Seen, unknown>()
  set<K extends keyof Seen>(key: K, value: Seen[K]): void {
    this.records.set(key, value)
  }
  get<K extends keyof Seen>(key: K): Seen[K] {
    if (!this.records.has(key)) throw new Error(`nothing seen "${key}": that step did not run`)
    return this.records.get(key) as Seen[K]
  }
})()

beforeAll(async () => {
  if (!AVAILABLE) return
  run = await startEngine()
  NGSI = run.ngsiUrl
  origins['http://localhost:1026'] = run.ngsiUrl
  origins['http://localhost:4042'] = run.northUrl
  // The tutorial's context provider is built in (docs/compatibility/tutorial-services.md §1).
  const provider = run.engine.endpoints().find((e) => e.name === 'Context provider')?.addresses[0]
  if (!provider) throw new Error('the engine serves no context provider')
  origins['http://localhost:5000'] = `http://127.0.0.1:${provider.port}`
})

afterAll(async () => {
  await device?.close()
  await run?.dispose()
})

function engine(): RunningEngine {
  if (!run) throw new Error('the engine did not start')
  return run
}

function folderRequests(tutorial: number): CollectionRequest[] {
  return REQUESTS.filter((r) => r.tutorial === tutorial)
}

/**
 * Runs the folder of `tutorial` with newman, in order. `pauses[label]` runs after that request and
 * before the next one (the folder is then run in pieces, see the header).
 */
async function runFolder(tutorial: number, pauses: Record<string, () => Promise<void>> = {}): Promise<void> {
  const requests = folderRequests(tutorial)
  for (const label of Object.keys(pauses)) {
    if (!requests.some((r) => r.label === label)) throw new Error(`no request ${label} in tutorial ${tutorial}`)
  }
  let piece: CollectionRequest[] = []
  for (const r of requests) {
    piece.push(r)
    const pause = pauses[r.label]
    if (pause || r === requests.at(-1)) {
      for (const x of await runWithNewman(COLLECTION, piece, { origins })) got.set(x.label, x)
      piece = []
      await pause?.()
    }
  }
}

/** A direct request to the engine (not part of the collection), for state checks between requests. */
async function ngsiGet(path: string, headers: Record<string, string> = {}): Promise<NgsiAnswer> {
  const res = await fetch(`${NGSI}${path}`, { headers, signal: AbortSignal.timeout(10_000) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

// --------------------------------------------------------------------------------- assertions

/** One test per request of the folder, after a test that the list covers the folder exactly. */
function checkRequests(tutorial: number, expectations: Expectation[]): void {
  checkFolder(folderRequests(tutorial), expectations, { got, ngsiOrigin: () => NGSI })
}

// ----------------------------------------------------------------------------- expected data

const N = (type: string, value: unknown, metadata: Record<string, unknown> = {}) => ({ type, value, metadata })

const STORE_1 = {
  id: STORE_1_KV.id,
  type: 'Store',
  address: N('PostalAddress', STORE_1_KV.address, { verified: { type: 'Boolean', value: true } }),
  location: N('geo:json', STORE_1_KV.location),
  name: N('Text', 'Carrefour')
}
const SHELF_1_KV = { id: 'urn:ngsi-ld:Shelf:unit001', type: 'Shelf', location: STORE_1_KV.location, name: 'Corner Unit', maxCapacity: 50 }
const SHELF_1 = {
  id: SHELF_1_KV.id,
  type: 'Shelf',
  location: N('geo:json', STORE_1_KV.location),
  name: N('Text', 'Corner Unit'),
  maxCapacity: N('Integer', 50),
  refStore: N('Relationship', 'urn:ngsi-ld:Store:001')
}
const INVENTORY_1 = {
  id: 'urn:ngsi-ld:InventoryItem:001',
  type: 'InventoryItem',
  refStore: N('Relationship', 'urn:ngsi-ld:Store:001'),
  refShelf: N('Relationship', 'urn:ngsi-ld:Shelf:unit001'),
  refProduct: N('Relationship', 'urn:ngsi-ld:Product:001'),
  stockCount: N('Integer', 10000),
  shelfCount: N('Integer', 50)
}
const SHELVES_OF_STORE_1 = ['urn:ngsi-ld:Shelf:unit001', 'urn:ngsi-ld:Shelf:unit002', 'urn:ngsi-ld:Shelf:unit003']
const ALL_AFTER_TUTORIAL_2 = [
  'urn:ngsi-ld:Store:001',
  'urn:ngsi-ld:Store:002',
  'urn:ngsi-ld:Shelf:unit001',
  'urn:ngsi-ld:Shelf:unit002',
  'urn:ngsi-ld:Shelf:unit003',
  'urn:ngsi-ld:Shelf:unit004',
  'urn:ngsi-ld:Shelf:unit005',
  'urn:ngsi-ld:Product:001',
  'urn:ngsi-ld:Product:002',
  'urn:ngsi-ld:Product:003',
  'urn:ngsi-ld:Product:004',
  'urn:ngsi-ld:InventoryItem:001'
]

/** name, size, price of the products of tutorials 2 and 3 (insertion order name, size, price). */
const PRODUCTS: Array<[string, string, string, number]> = [
  ['urn:ngsi-ld:Product:001', 'Beer', 'S', 99],
  ['urn:ngsi-ld:Product:002', 'Red Wine', 'M', 1099],
  ['urn:ngsi-ld:Product:003', 'White Wine', 'M', 1499],
  ['urn:ngsi-ld:Product:004', 'Vodka', 'XL', 5000],
  ['urn:ngsi-ld:Product:010', 'Lemonade', 'S', 99],
  ['urn:ngsi-ld:Product:011', 'Brandy', 'M', 1199],
  ['urn:ngsi-ld:Product:012', 'Port', 'M', 1099]
]
const productKv = ([id, name, size, price]: [string, string, string, number]) => ({ id, type: 'Product', name, size, price })
const product = ([id, name, size, price]: [string, string, string, number]) => ({ id, type: 'Product', name: N('Text', name), size: N('Text', size), price: N('Integer', price) })
const PRODUCT_10 = product(PRODUCTS[4]!)

const ENTITY_NOT_FOUND = { error: 'NotFound', description: 'The requested entity has not been found. Check type and id' }
const SUBSCRIPTION_NOT_FOUND = 'The requested subscription has not been found. Check id'
const PRICE_CHANGE_URL = 'http://context-provider:5000/priceChange'
/** Orion's subscription timestamps: second precision (docs/compatibility/ngsi-v2.md §4.5). */
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/
const HEX24 = /^[0-9a-f]{24}$/
const SEMVER = /^\d+\.\d+\.\d+/

const idOf = (location: string | undefined): string => location?.split('/').at(-1) ?? ''

// ------------------------------------------------------------------------------------ Tutorial 1

describe.skipIf(!AVAILABLE)('Tutorial 1 - Introdução ao Fiware', () => {
  beforeAll(() => runFolder(1))

  checkRequests(1, [
    {
      label: '#1',
      name: 'Verifique a saúde do Orion',
      expected: '200 {"orion":{…}} of Orion 4.1.0, no libversions',
      check: (r) => {
        status(r, 200)
        ex(r, 'Content-Type application/json', r.headers['content-type']).toBe('application/json')
        const v = r.json()
        ex(r, 'only the "orion" object', Object.keys(v)).toEqual(['orion'])
        ex(r, 'the fields of Orion 4.x in order (libversions only with options=libVersions)', Object.keys(v.orion)).toEqual([
          'version',
          'uptime',
          'git_hash',
          'compile_time',
          'compiled_by',
          'compiled_in',
          'release_date',
          'machine',
          'doc'
        ])
        ex(r, 'version 4.1.0', v.orion.version).toBe('4.1.0')
        ex(r, 'uptime "%d d, %d h, %d m, %d s"', v.orion.uptime).toMatch(/^\d+ d, \d+ h, \d+ m, \d+ s$/)
        ex(r, 'the 4.1.0 doc URL', v.orion.doc).toBe('https://fiware-orion.rtfd.io/en/4.1.0/')
      }
    },
    {
      label: '#2',
      name: 'Criar Loja 1',
      expected: '201, Location /v2/entities/urn:ngsi-ld:Store:001?type=Store',
      check: (r) => void created(r, '/v2/entities/urn:ngsi-ld:Store:001?type=Store')
    },
    {
      label: '#3',
      name: 'Criar Loja 2',
      expected: '201, Location /v2/entities/urn:ngsi-ld:Store:002?type=Store',
      check: (r) => void created(r, '/v2/entities/urn:ngsi-ld:Store:002?type=Store')
    },
    {
      label: '#4',
      name: 'Resgate loja 1',
      expected: '200 keyValues Store:001, coordinates with 9 decimals',
      check: (r) => jsonText(r, 200, JSON.stringify(STORE_1_KV))
    },
    {
      label: '#5',
      name: 'Recupere as lojas',
      expected: '200 both stores, in creation order',
      check: (r) => jsonText(r, 200, JSON.stringify([STORE_1_KV, STORE_2_KV]))
    },
    {
      label: '#6',
      name: 'Recupere o Carrefour',
      expected: '200 only Store:001',
      check: (r) => jsonText(r, 200, JSON.stringify([STORE_1_KV]))
    },
    {
      label: '#7',
      name: 'Recupere lojas em São Bernardo',
      expected: "200 both stores (quoted 'São Bernardo do Campo' inside the compound address)",
      check: (r) => jsonText(r, 200, JSON.stringify([STORE_1_KV, STORE_2_KV]))
    },
    {
      label: '#8',
      name: 'Recupere lojas verificadas',
      expected: '200 both stores (metadata query address.verified==true)',
      check: (r) => jsonText(r, 200, JSON.stringify([STORE_1_KV, STORE_2_KV]))
    },
    {
      label: '#9',
      name: 'Recupere loja mais próxima',
      expected: '200 only Store:002 (≈1,336 m; Store:001 ≈2,718 m > 1,500 m)',
      check: (r) => jsonText(r, 200, JSON.stringify([STORE_2_KV]))
    }
  ])
})

// ------------------------------------------------------------------------------------ Tutorial 2

describe.skipIf(!AVAILABLE)('Tutorial 2 - Entidades e relacionamentos', () => {
  beforeAll(() => runFolder(2))

  checkRequests(2, [
    { label: '#10', name: 'Preparando o tutorial 2', expected: '204 (append of the existing stores)', check: noContent },
    { label: '#11', name: 'Criar prateleiras', expected: '204 (upper-case "APPEND" accepted)', check: noContent },
    { label: '#12', name: 'Criar produtos', expected: '204', check: noContent },
    {
      label: '#13',
      name: 'Recupere a prateleira 1',
      expected: '200 keyValues Shelf:unit001 (location rounded to 9 decimals)',
      check: (r) => jsonText(r, 200, JSON.stringify(SHELF_1_KV))
    },
    { label: '#14', name: 'Criar relacionamentos', expected: '204', check: noContent },
    {
      label: '#15',
      name: 'Recupere a prateleira 1 novamente',
      expected: '200, now with "refStore":"urn:ngsi-ld:Store:001"',
      check: (r) => jsonText(r, 200, JSON.stringify({ ...SHELF_1_KV, refStore: 'urn:ngsi-ld:Store:001' }))
    },
    {
      label: '#16',
      name: 'Obter prateleiras de uma loja',
      expected: '200 ["urn:ngsi-ld:Store:001"]',
      check: (r) => jsonText(r, 200, '["urn:ngsi-ld:Store:001"]')
    },
    {
      label: '#17',
      name: 'Obter prateleira a parte de uma loja',
      expected: '200, Fiware-Total-Count: 3, shelves 001–003 as {id,type} only',
      check: (r) => {
        jsonText(r, 200, JSON.stringify(SHELVES_OF_STORE_1.map((id) => ({ id, type: 'Shelf' }))))
        ex(r, 'Fiware-Total-Count: 3', r.headers['fiware-total-count']).toBe('3')
      }
    },
    {
      label: '#18',
      name: 'Obter nome das prateleiras de uma loja',
      expected: '200 [["Corner Unit"],["Wall Unit 1"],["Wall Unit 2"]]',
      check: (r) => jsonText(r, 200, '[["Corner Unit"],["Wall Unit 1"],["Wall Unit 2"]]')
    },
    {
      label: '#19',
      name: 'Criar item de inventário',
      expected: '201, Location /v2/entities/urn:ngsi-ld:InventoryItem:001?type=InventoryItem',
      check: (r) => void created(r, '/v2/entities/urn:ngsi-ld:InventoryItem:001?type=InventoryItem')
    },
    {
      label: '#20',
      name: 'Obter produtos vendidos em uma loja',
      expected: '200 [["urn:ngsi-ld:Product:001"]]',
      check: (r) => jsonText(r, 200, '[["urn:ngsi-ld:Product:001"]]')
    },
    {
      label: '#21',
      name: 'Obter lojas vendendo um produto',
      expected: '200 [["urn:ngsi-ld:Store:001"]]',
      check: (r) => jsonText(r, 200, '[["urn:ngsi-ld:Store:001"]]')
    },
    {
      label: '#22',
      name: 'Obter entidades restantes',
      expected: '200 shelves 001–003 and InventoryItem:001 as {id,type} only (attrs=id selects nothing)',
      check: (r) =>
        jsonText(r, 200, JSON.stringify([...SHELVES_OF_STORE_1.map((id) => ({ id, type: 'Shelf' })), { id: 'urn:ngsi-ld:InventoryItem:001', type: 'InventoryItem' }]))
    },
    {
      label: '#23',
      name: 'Obter entidades',
      expected: '200 all entities, normalized, at most 20 (here the 12 of tutorials 1–2, in creation order), no count header',
      check: (r) => {
        status(r, 200)
        ex(r, 'Content-Type application/json', r.headers['content-type']).toBe('application/json')
        const list = r.json() as Array<{ id: string; type: string } & Record<string, unknown>>
        ex(r, 'at most 20 entities (default limit)', list.length).toBeLessThanOrEqual(20)
        ex(r, 'the 12 entities in creation order', list.map((e) => e.id)).toEqual(ALL_AFTER_TUTORIAL_2)
        ex(r, 'Store:001 normalized, with the verified metadata', list[0]).toEqual(STORE_1)
        ex(r, 'Store:001 key order', JSON.stringify(list[0])).toBe(JSON.stringify(STORE_1))
        ex(r, 'Shelf:unit001 normalized, refStore appended last', JSON.stringify(list[2])).toBe(JSON.stringify(SHELF_1))
        ex(r, 'InventoryItem:001 normalized', JSON.stringify(list[11])).toBe(JSON.stringify(INVENTORY_1))
        ex(r, 'Product:001 normalized', JSON.stringify(list[7])).toBe(JSON.stringify(product(PRODUCTS[0]!)))
        for (const e of list) {
          for (const [name, a] of Object.entries(e)) {
            if (name === 'id' || name === 'type') continue
            ex(r, `${e.id}/${name} as {type,value,metadata}`, Object.keys(a as object)).toEqual(['type', 'value', 'metadata'])
          }
        }
        ex(r, 'no Fiware-Total-Count without options=count', r.headers['fiware-total-count']).toBeUndefined()
      }
    }
  ])
})

// ------------------------------------------------------------------------------------ Tutorial 3

describe.skipIf(!AVAILABLE)('Tutorial 3 - Operações CRUD', () => {
  const request29 = (): CollectionRequest => REQUESTS.find((r) => r.label === '#29')!

  beforeAll(() =>
    runFolder(3, {
      // docs/compatibility/ngsi-v2.md §0.1/§8: the same append_strict again → 422 (every attribute already exists).
      '#29': async () => {
        const [again] = await runWithNewman(COLLECTION, [request29()], { origins })
        seen.set('#29 again', again)
      },
      // The effects of #40–#42 (update, append, replace), before #43–#45 delete them.
      '#42': async () => {
        seen.set('after #42', {
          p10: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:010?type=Product'),
          p11: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:011?type=Product&options=keyValues'),
          p12: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:012?type=Product&options=keyValues')
        })
      },
      '#44': async () => {
        seen.set('after #44', await ngsiGet('/v2/entities/urn:ngsi-ld:Product:012?type=Product&options=keyValues'))
      },
      '#45': async () => {
        seen.set('after #45', {
          p001: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:001?type=Product&options=keyValues'),
          p010: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:010'),
          p011: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:011'),
          p012: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:012'),
          products: await ngsiGet('/v2/entities?type=Product&options=keyValues&attrs=__NONE')
        })
      }
    })
  )

  checkRequests(3, [
    {
      label: '#24',
      name: 'Obter entidades',
      expected: '200 the 4 products of tutorial 2, keyValues',
      check: (r) => jsonText(r, 200, JSON.stringify(PRODUCTS.slice(0, 4).map(productKv)))
    },
    { label: '#25', name: 'Preparando o tutorial 3', expected: '204 (append of 12 existing entities, "metadata": {})', check: noContent },
    {
      label: '#26',
      name: 'Criar um produto',
      expected: '201, Location /v2/entities/urn:ngsi-ld:Product:010?type=Product',
      check: (r) => void created(r, '/v2/entities/urn:ngsi-ld:Product:010?type=Product')
    },
    {
      label: '#27',
      name: 'Obter um produto',
      expected: '200 Product:010 normalized',
      check: (r) => jsonText(r, 200, JSON.stringify(PRODUCT_10))
    },
    { label: '#28', name: 'Adicionar oferta especial', expected: '204', check: noContent },
    {
      label: '#29',
      name: 'Criar 2 produtos',
      expected: '204 ("append_strict" accepted); the same request again → 422 Unprocessable, every attribute listed',
      check: (r) => {
        noContent(r)
        const again = seen.get('#29 again')
        expect(again, '#29 re-run not done').toBeDefined()
        ngsiError(
          again!,
          422,
          'Unprocessable',
          'one or more of the attributes in the request already exist: urn:ngsi-ld:Product:011/Product - [ name, size, price ], ' +
            'urn:ngsi-ld:Product:012/Product - [ name, size, price ], urn:ngsi-ld:Product:001/Product - [ offerPrice ]'
        )
      }
    },
    { label: '#30', name: 'Adicionar 2 produtos', expected: '204', check: noContent },
    {
      label: '#31',
      name: 'Obter produto 10',
      expected: '200 Product:010 with specialOffer, type defaulted to Boolean',
      check: (r) => jsonText(r, 200, JSON.stringify({ ...PRODUCT_10, specialOffer: N('Boolean', true) }))
    },
    {
      label: '#32',
      name: 'Obter nome do produto',
      expected: '200 text/plain "Lemonade" (with the quotes)',
      check: (r) => {
        status(r, 200)
        ex(r, 'Content-Type text/plain', r.headers['content-type']).toBe('text/plain')
        ex(r, 'body "Lemonade"', r.text).toBe('"Lemonade"')
      }
    },
    {
      label: '#33',
      name: 'Obter informações de um produto',
      expected: '200 {"id","type","name":"Lemonade","price":99}',
      check: (r) => jsonText(r, 200, '{"id":"urn:ngsi-ld:Product:010","type":"Product","name":"Lemonade","price":99}')
    },
    {
      label: '#34',
      name: 'Obter resumo das informações de um produto',
      expected: '200 ["Lemonade",99]',
      check: (r) => jsonText(r, 200, '["Lemonade",99]')
    },
    {
      label: '#35',
      name: 'Obter todos os produtos',
      expected: '200 the 7 products normalized (trailing "/" stripped), Product:001 with offerPrice',
      check: (r) => {
        const expected = PRODUCTS.map(product) as Array<Record<string, unknown>>
        expected[0] = { ...expected[0], offerPrice: N('Integer', 89) }
        expected[4] = { ...expected[4], specialOffer: N('Boolean', true) }
        jsonText(r, 200, JSON.stringify(expected))
      }
    },
    {
      label: '#36',
      name: 'obter o nome e preço dos produtos',
      expected: '200 the 7 products as {id,type,name,price}',
      check: (r) => jsonText(r, 200, JSON.stringify(PRODUCTS.map(([id, name, , price]) => ({ id, type: 'Product', name, price }))))
    },
    {
      label: '#37',
      name: 'Obter o ID de todos os produtos',
      expected: '200, Fiware-Total-Count: 7, {id,type} only (attrs=__NONE)',
      check: (r) => {
        jsonText(r, 200, JSON.stringify(PRODUCTS.map(([id]) => ({ id, type: 'Product' }))))
        ex(r, 'Fiware-Total-Count: 7', r.headers['fiware-total-count']).toBe('7')
      }
    },
    {
      label: '#38',
      name: 'Atualizar o preço do produto 10',
      expected: '400 BadRequest "Neither JSON Object nor JSON Array for attribute::value" (bare 89 sent as application/json)',
      check: (r) => ngsiError(r, 400, 'BadRequest', 'Neither JSON Object nor JSON Array for attribute::value')
    },
    {
      label: '#39',
      name: 'Atualizar multiplos atirbutos de um produto',
      expected: '204; Product:001 then has only price 70 and name "Ale" (PUT replaces the attributes)',
      check: (r) => {
        noContent(r)
        const p001 = seen.get('after #45').p001
        ex(r, 'Product:001 = {price:70, name:"Ale"} afterwards', p001).toEqual({ status: 200, body: { id: 'urn:ngsi-ld:Product:001', type: 'Product', price: 70, name: 'Ale' } })
        ex(r, 'attribute order price, name', Object.keys(p001.body)).toEqual(['id', 'type', 'price', 'name'])
      }
    },
    {
      label: '#40',
      name: 'Atualizar vários produtos',
      expected: '204; Product:011 price 1199, size "L"',
      check: (r) => {
        noContent(r)
        const { p11 } = seen.get('after #42')
        ex(r, 'Product:011 after #40–#42', p11).toEqual({ status: 200, body: { id: 'urn:ngsi-ld:Product:011', type: 'Product', name: 'Brandy', size: 'L', price: 1199 } })
      }
    },
    {
      label: '#41',
      name: 'Atualizar e criar atributos dos produtos',
      expected: '204; Product:012 price 1199 and new specialOffer true',
      check: (r) => {
        noContent(r)
        const { p12 } = seen.get('after #42')
        ex(r, 'Product:012 after #41', p12).toEqual({ status: 200, body: { id: 'urn:ngsi-ld:Product:012', type: 'Product', name: 'Port', size: 'M', price: 1199, specialOffer: true } })
      }
    },
    {
      label: '#42',
      name: 'Substituir um produto',
      expected: '204; Product:010 then has only price 1199 (replace)',
      check: (r) => {
        noContent(r)
        const { p10 } = seen.get('after #42')
        ex(r, 'Product:010 after #42', p10).toEqual({ status: 200, body: { id: 'urn:ngsi-ld:Product:010', type: 'Product', price: N('Integer', 1199) } })
      }
    },
    {
      label: '#43',
      name: 'Deletar um produto',
      expected: '204; Product:010 is gone (404)',
      check: (r) => {
        noContent(r)
        ex(r, 'GET Product:010 → 404 afterwards', seen.get('after #45').p010).toEqual({ status: 404, body: ENTITY_NOT_FOUND })
      }
    },
    {
      label: '#44',
      name: 'Deletar um atributo',
      expected: '204; Product:012 without specialOffer',
      check: (r) => {
        noContent(r)
        ex(r, 'Product:012 after #44', seen.get('after #44')).toEqual({ status: 200, body: { id: 'urn:ngsi-ld:Product:012', type: 'Product', name: 'Port', size: 'M', price: 1199 } })
      }
    },
    {
      label: '#45',
      name: 'Deletar multiplas entidades',
      expected: '204; Product:011 and Product:012 deleted, Products 001–004 remain',
      check: (r) => {
        noContent(r)
        const after = seen.get('after #45')
        ex(r, 'GET Product:011 → 404', after.p011).toEqual({ status: 404, body: ENTITY_NOT_FOUND })
        ex(r, 'GET Product:012 → 404', after.p012).toEqual({ status: 404, body: ENTITY_NOT_FOUND })
        ex(r, 'the remaining products', after.products.body).toEqual(PRODUCTS.slice(0, 4).map(([id]) => ({ id, type: 'Product' })))
      }
    }
  ])
})

// ------------------------------------------------------------------------------------ Tutorial 4

describe.skipIf(!AVAILABLE)('Tutorial 4 - Provedores de contexto', () => {
  beforeAll(async () => {
    await runFolder(4)
    seen.set('registrations after tutorial 4', await ngsiGet('/v2/registrations'))
  })

  checkRequests(4, [
    ...PROVIDER_REQUESTS,
    {
      label: '#46',
      name: 'Criar loja 1',
      expected: '422 Unprocessable "Already Exists" (Store:001 is there since tutorial 1)',
      check: (r) => ngsiError(r, 422, 'Unprocessable', 'Already Exists')
    },
    {
      label: '#47',
      name: 'Registrar contexto da loja 1',
      expected: '201, Location /v2/registrations/<24 hex>',
      check: (r) => void created(r, /^\/v2\/registrations\/[0-9a-f]{24}$/)
    },
    {
      label: '#48',
      name: 'Obter loja 1',
      expected: '200 the local attributes and, from the built-in provider (context-provider:5000 routed to it), relativeHumidity 0–100 and temperature 10–40',
      check: (r) => {
        status(r, 200)
        const store = r.json()
        ex(r, 'the local attributes, then the provided ones', store).toEqual({ ...STORE_1_KV, relativeHumidity: expect.any(Number), temperature: expect.any(Number) })
        ex(r, 'relativeHumidity 0–100', store.relativeHumidity >= 0 && store.relativeHumidity <= 100).toBe(true)
        ex(r, 'temperature 10–40', store.temperature >= 10 && store.temperature <= 40).toBe(true)
      }
    },
    {
      label: '#49',
      name: 'Obter registros',
      expected: '200 [the registration of #47, Orion rendering]',
      check: (r) => {
        const id = idOf(got.get('#47')?.headers.location)
        ex(r, 'the id of #47', id).toMatch(HEX24)
        jsonText(
          r,
          200,
          JSON.stringify([
            {
              id,
              description: 'Random Conditions',
              dataProvided: { entities: [{ id: 'urn:ngsi-ld:Store:001', type: 'Store' }], attrs: ['relativeHumidity', 'temperature'] },
              provider: { http: { url: 'http://context-provider:5000' }, supportedForwardingMode: 'all', legacyForwarding: false },
              status: 'active'
            }
          ])
        )
      }
    },
    {
      label: '#50',
      name: 'Deletar registro',
      expected: '404 NotFound "The requested registration has not been found. Check id" (hard-coded id of 2022); #47 stays',
      check: (r) => {
        ngsiError(r, 404, 'NotFound', 'The requested registration has not been found. Check id')
        const regs = seen.get('registrations after tutorial 4')
        ex(r, 'the registration of #47 still there', regs.body.map((g: { id: string }) => g.id)).toEqual([idOf(got.get('#47')?.headers.location)])
      }
    }
  ])
})

// ------------------------------------------------------------------------------------ Tutorial 5

describe.skipIf(!AVAILABLE)('Tutorial 5 - Assinaturas no Orion', () => {
  const subscription = (label: string) => idOf(got.get(label)?.headers.location)

  beforeAll(() =>
    runFolder(5, {
      '#52': async () => {
        // No initial notification (removed in Orion 3.2.0): nothing queued, nothing counted.
        await engine().engine.contextBroker!.notificationsIdle()
        seen.set('after #52', await ngsiGet(`/v2/subscriptions/${subscription('#52')}`))
      },
      '#54': async () => {
        // #53's notification to context-provider:5000 is sent asynchronously; let it arrive before #55 lists it.
        await engine().engine.contextBroker!.notificationsIdle()
      },
      '#58': async () => {
        await engine().engine.contextBroker!.notificationsIdle()
        seen.set('after tutorial 5', {
          product: await ngsiGet('/v2/entities/urn:ngsi-ld:Product:010?type=Product'),
          subscriptions: await ngsiGet('/v2/subscriptions')
        })
      }
    })
  )

  const SUB_1 = (id: string, counters: boolean) => ({
    id,
    description: 'Notify me of all product price changes',
    status: 'active',
    subject: { entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }], condition: { attrs: ['price'], notifyOnMetadataChange: true } },
    notification: counters
      ? {
          timesSent: 1,
          lastNotification: expect.stringMatching(ISO_SECONDS),
          attrs: [],
          onlyChangedAttrs: false,
          attrsFormat: 'normalized',
          http: { url: PRICE_CHANGE_URL },
          lastSuccess: expect.stringMatching(ISO_SECONDS),
          lastSuccessCode: 200,
          covered: false
        }
      : { attrs: [], onlyChangedAttrs: false, attrsFormat: 'normalized', http: { url: PRICE_CHANGE_URL }, covered: false }
  })
  const SUB_2 = (id: string) => ({
    id,
    description: 'Notify me of all product price changes when less than 50',
    status: 'active',
    subject: {
      entities: [{ idPattern: 'urn:ngsi-ld:Product:010', type: 'Product' }],
      condition: { attrs: ['price'], expression: { q: 'price<50;' }, notifyOnMetadataChange: true }
    },
    notification: { attrs: [], onlyChangedAttrs: false, attrsFormat: 'keyValues', http: { url: PRICE_CHANGE_URL }, covered: false }
  })
  const NOTIFICATION_KEYS_AFTER_SUCCESS = ['timesSent', 'lastNotification', 'attrs', 'onlyChangedAttrs', 'attrsFormat', 'http', 'lastSuccess', 'lastSuccessCode', 'covered']

  checkRequests(5, [
    {
      label: '#51',
      name: 'Criar um produto',
      expected: '201, Location /v2/entities/urn:ngsi-ld:Product:010?type=Product (deleted in #43)',
      check: (r) => void created(r, '/v2/entities/urn:ngsi-ld:Product:010?type=Product')
    },
    {
      label: '#52',
      name: 'Criar assinatura para mudança de preço',
      expected: '201, Location /v2/subscriptions/<24 hex>; no initial notification',
      check: (r) => {
        created(r, /^\/v2\/subscriptions\/[0-9a-f]{24}$/)
        const sub = seen.get('after #52')
        ex(r, 'the new subscription, never notified', sub).toEqual({ status: 200, body: SUB_1(subscription('#52'), false) })
      }
    },
    {
      label: '#53',
      name: 'Mudar preço',
      expected: '204; Product:010 keeps only price 40; one notification to context-provider:5000, taken by the built-in receiver (lastSuccessCode 200)',
      check: (r) => {
        noContent(r)
        const after = seen.get('after tutorial 5')
        ex(r, 'Product:010 = {price: 40} (PUT replaces)', after.product).toEqual({
          status: 200,
          body: { id: 'urn:ngsi-ld:Product:010', type: 'Product', price: N('Integer', 40) }
        })
        const sub1 = after.subscriptions.body.find((s: { id: string }) => s.id === subscription('#52'))
        ex(r, 'the success counters of the subscription of #52', sub1).toEqual(SUB_1(subscription('#52'), true))
        ex(r, 'no lastFailure/failsCounter', Object.keys(sub1.notification)).toEqual(NOTIFICATION_KEYS_AFTER_SUCCESS)
        const received = engine().engine.contextBroker!.receiver.recent({ service: '' })
        ex(r, 'the notification in the built-in receiver', received.map((n) => [n.subscriptionId, n.url, JSON.parse(n.body)])).toEqual([
          [subscription('#52'), PRICE_CHANGE_URL, { subscriptionId: subscription('#52'), data: [{ id: 'urn:ngsi-ld:Product:010', type: 'Product', price: { type: 'Integer', value: 40, metadata: {} } }] }]
        ])
      }
    },
    {
      label: '#54',
      name: 'Criar uma assinatura simplificada',
      expected: '201, Location /v2/subscriptions/<another 24 hex>',
      check: (r) => {
        created(r, /^\/v2\/subscriptions\/[0-9a-f]{24}$/)
        ex(r, 'an id other than the one of #52', subscription('#54')).not.toBe(subscription('#52'))
      }
    },
    {
      label: '#55',
      name: 'Obter assinatura',
      expected: '200 both subscriptions in creation order, Orion 4.x rendering (the first with its notification answered 200)',
      check: (r) => {
        status(r, 200)
        ex(r, 'Content-Type application/json', r.headers['content-type']).toBe('application/json')
        const list = r.json()
        ex(r, 'the two subscriptions', list).toEqual([SUB_1(subscription('#52'), true), SUB_2(subscription('#54'))])
        ex(r, 'key order of a subscription', Object.keys(list[1])).toEqual(['id', 'description', 'status', 'subject', 'notification'])
        ex(r, 'key order of the first notification', Object.keys(list[0].notification)).toEqual(NOTIFICATION_KEYS_AFTER_SUCCESS)
        ex(r, 'key order of the second condition', Object.keys(list[1].subject.condition)).toEqual(['attrs', 'expression', 'notifyOnMetadataChange'])
        ex(r, 'key order of the second notification', Object.keys(list[1].notification)).toEqual(['attrs', 'onlyChangedAttrs', 'attrsFormat', 'http', 'covered'])
        ex(r, 'no throttling/expires rendered', [list[0].throttling, list[0].expires]).toEqual([undefined, undefined])
      }
    },
    {
      label: '#56',
      name: 'Obter assinatura específica',
      expected: `404 NotFound "${SUBSCRIPTION_NOT_FOUND}" (hard-coded id of 2022)`,
      check: (r) => ngsiError(r, 404, 'NotFound', SUBSCRIPTION_NOT_FOUND)
    },
    {
      label: '#57',
      name: 'Atualizar assinatura',
      // Orion, mongoUpdateSubscription.cpp: oe->fill(SccContextElementNotFound, "subscription id not found").
      expected: '404 NotFound "subscription id not found" (Orion\'s text for PATCH, hard-coded id)',
      check: (r) => ngsiError(r, 404, 'NotFound', 'subscription id not found')
    },
    {
      label: '#58',
      name: 'Deletar assinatura',
      expected: `404 NotFound "${SUBSCRIPTION_NOT_FOUND}" (hard-coded id); both subscriptions stay`,
      check: (r) => {
        ngsiError(r, 404, 'NotFound', SUBSCRIPTION_NOT_FOUND)
        const subs = seen.get('after tutorial 5').subscriptions.body.map((s: { id: string }) => s.id)
        ex(r, 'the subscriptions of #52 and #54 still there', subs).toEqual([subscription('#52'), subscription('#54')])
      }
    }
  ])
})

// ------------------------------------------------------------------------------------ Tutorial 7

// Tutorials 4, 6 and 8, each on a fresh engine (the series' other components built in).
describeFreshFolders(AVAILABLE, COLLECTION, REQUESTS)

describe.skipIf(!AVAILABLE)('Tutorial 7 - Agent IoT Ultralight sobre MQTT', () => {
  const CMD_TOPIC = `/${APIKEY}/${DEVICE_ID}/cmd`

  /** The device's entity in keyValues, read in the tutorial's tenant. */
  const entityKv = async (): Promise<Record<string, unknown> | undefined> => {
    const r = await ngsiGet(`/v2/entities/${ENTITY_ID}?type=Device&options=keyValues`, { ...TENANT })
    return r.status === 200 ? r.body : undefined
  }
  /** Command messages the engine published on the device's command topic (its topic inspector). */
  const publishedCommands = (): string[] =>
    engine()
      .engine.inspector.messages({ filter: (m) => m.topic === CMD_TOPIC })
      .map((m) => m.payload.toString())

  beforeAll(async () => {
    // The tutorial's dummy device is running (idle: it sends measures once switched on).
    device = await startPythonSeedDevice(engine().mqttUrl, APIKEY, DEVICE_ID)
    await runFolder(7, {
      '#61': async () => {
        seen.set('before the switch', { published: device!.published.length, received: device!.received.length })
      },
      // The device is switched on by #62 and then publishes: its first measures land before #63.
      '#62': async () => {
        await waitFor(() => device!.commands.includes(`${DEVICE_ID}@switch|1`), 'the switch command at the device')
        const entity = await waitFor(
          async () => {
            const e = await entityKv()
            return e?.temperature !== undefined && e.switch_status === 'OK' && e
          },
          'the first measure and switch_status OK in the entity',
          10_000
        )
        seen.set('after the switch', { entity, received: [...device!.received], engineCommands: publishedCommands() })
      },
      '#63': async () => {
        await waitFor(() => device!.commands.includes(`${DEVICE_ID}@interval|2`), 'the interval command at the device')
        const entity = await waitFor(
          async () => {
            const e = await entityKv()
            return e?.interval_status === 'OK' && e
          },
          'interval_status OK in the entity',
          10_000
        )
        seen.set('after the interval', {
          entity,
          received: [...device!.received],
          engineCommands: publishedCommands(),
          registrations: await ngsiGet('/v2/registrations', { ...TENANT })
        })
      }
    })
  }, 60_000)

  checkRequests(7, [
    {
      label: 'T7.1',
      name: 'Verificar saúde do Agente IoT',
      expected: '200 {"libVersion","port":<north port>,"baseRoot":"/","version"}',
      check: (r) => {
        status(r, 200)
        ex(r, 'Content-Type application/json', r.headers['content-type']).toMatch(/^application\/json/)
        const v = r.json()
        ex(r, 'the fields of iotagent-ul /iot/about', v).toMatchObject({ libVersion: expect.stringMatching(SEMVER), port: Number(new URL(engine().northUrl).port), baseRoot: '/', version: expect.stringMatching(SEMVER) })
        ex(r, 'key order (FIWARE fields first)', Object.keys(v).slice(0, 4)).toEqual(['libVersion', 'port', 'baseRoot', 'version'])
      }
    },
    {
      label: 'T7.2',
      name: 'Criar um serviço',
      expected: '201 {}',
      check: (r) => {
        status(r, 201)
        ex(r, 'body {}', r.text).toBe('{}')
      }
    },
    {
      label: 'T7.3',
      name: 'Provisionar um dispositivo',
      expected: '201 {}; the commands switch/interval registered at the context broker for the agent',
      check: (r) => {
        status(r, 201)
        ex(r, 'body {}', r.text).toBe('{}')
        const regs = seen.get('after the interval').registrations
        ex(r, 'one registration in openiot', regs.body).toHaveLength(1)
        ex(r, 'the registration of the device commands', regs.body[0]).toMatchObject({
          id: expect.stringMatching(HEX24),
          dataProvided: { entities: [{ id: ENTITY_ID, type: 'Device' }], attrs: ['switch', 'interval'] },
          provider: { http: { url: engine().engine.providerUrl } },
          status: 'active'
        })
      }
    },
    {
      label: '#61',
      name: 'Obter dispositivo',
      expected: '200 {"id","type","switch":"","interval":""} (no measure yet; the command attributes come from the agent)',
      check: (r) => {
        jsonText(r, 200, JSON.stringify({ id: ENTITY_ID, type: 'Device', switch: '', interval: '' }))
        ex(r, 'the device idle until switched on', seen.get('before the switch')).toEqual({ published: 0, received: 0 })
      }
    },
    {
      label: '#62',
      name: 'Enviar comando Switch pelo Orion Context Broker',
      expected: '204; the device gets device001@switch|1, starts sending, switch_status OK',
      check: (r) => {
        noContent(r)
        const s = seen.get('after the switch')
        ex(r, 'the engine published device001@switch|1 on the command topic', s.engineCommands).toEqual([`${DEVICE_ID}@switch|1`])
        ex(r, 'the device received it', s.received.map((m: { topic: string; payload: string }) => [m.topic, m.payload])).toEqual([[CMD_TOPIC, `${DEVICE_ID}@switch|1`]])
        ex(r, 'the entity after the first measure', s.entity).toMatchObject({
          id: ENTITY_ID,
          type: 'Device',
          refStore: 'urn:ngsi-ld:Store:001',
          switch_status: 'OK',
          switch_info: 'Started sending data',
          temperature: expect.any(Number),
          relativeHumidity: expect.any(Number),
          TimeInstant: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          // Still answered by the agent: a command attribute is never stored in the broker.
          switch: '',
          interval: ''
        })
      }
    },
    {
      label: '#63',
      name: 'Enviar comando Intervalpelo Orion Context Broker',
      expected: '204; the device gets device001@interval|2, interval_status OK',
      check: (r) => {
        noContent(r)
        const s = seen.get('after the interval')
        ex(r, 'the engine published both commands, in order', s.engineCommands).toEqual([`${DEVICE_ID}@switch|1`, `${DEVICE_ID}@interval|2`])
        ex(r, 'the device received both, in order', s.received.map((m: { topic: string; payload: string }) => [m.topic, m.payload])).toEqual([
          [CMD_TOPIC, `${DEVICE_ID}@switch|1`],
          [CMD_TOPIC, `${DEVICE_ID}@interval|2`]
        ])
        ex(r, 'the device runs with interval 2', device!.intervalSec()).toBe(2)
        ex(r, 'the entity', s.entity).toMatchObject({
          switch_status: 'OK',
          switch_info: 'Started sending data',
          interval_status: 'OK',
          interval_info: 'Interval set to 2',
          temperature: expect.any(Number),
          relativeHumidity: expect.any(Number),
          switch: '',
          interval: ''
        })
      }
    }
  ])
})
