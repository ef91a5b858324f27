import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import newman, { type NewmanResponse } from 'newman'

/**
 * Runs requests of the Portuguese Postman collection ("Tutoriais do Fiware") with newman, exactly
 * as they are in the collection file (method, URL, headers, body untouched), and keeps what came
 * back for each request so that a test can hold it against what Orion / iotagent-ul answer.
 */

/**
 * The collection sits in the reference material beside the repository, not in it: only
 * test/integration/postman-collection.test.ts reads it (and skips when it is absent, outside CI).
 */
export const COLLECTION_PATH = fileURLToPath(new URL('../../../shared/fiware-tutorials/Tutoriais do Fiware.postman_collection.json', import.meta.url))

/** Whether the collection file is there to be read. */
export function collectionAvailable(path = COLLECTION_PATH): boolean {
  return existsSync(path)
}

/** The folder of the seed tutorial. */
export const TUTORIAL_7 = 'Tutorial 7 - Agent IoT Ultralight sobre MQTT'

export interface PostmanItemJson {
  name: string
  item?: PostmanItemJson[]
  request?: {
    method: string
    url: { raw: string } | string
    header?: Array<{ key: string; value: string; disabled?: boolean }>
    body?: { mode?: string; raw?: string }
  }
}

export interface CollectionJson {
  info: Record<string, unknown>
  item: PostmanItemJson[]
}

/** A request of the collection and where it sits. */
export interface CollectionRequest {
  /** Folder name, e.g. "Tutorial 4 - Provedores de contexto". */
  folder: string
  /** Tutorial number (1-based position of the folder). */
  tutorial: number
  /** 1-based position of the request in its folder. */
  index: number
  name: string
  method: string
  url: string
  /** Number of the request in docs/compatibility/ngsi-v2.md §0.1 (only the requests to localhost:1026 have one). */
  spec?: number
  /** `#<spec>` for port-1026 requests, else `T<tutorial>.<index>` (e.g. `T7.2`). */
  label: string
  item: PostmanItemJson
}

export function loadCollection(path = COLLECTION_PATH): CollectionJson {
  return JSON.parse(readFileSync(path, 'utf8')) as CollectionJson
}

/** `url` with its origin replaced when `origins` maps it (`http://localhost:1026` → `http://127.0.0.1:40123`). */
export function mapOrigin(url: string, origins: Record<string, string>): string {
  for (const [from, to] of Object.entries(origins)) {
    if (url === from || url.startsWith(`${from}/`)) return to + url.slice(from.length)
  }
  return url
}

function rawUrl(item: PostmanItemJson): string {
  const url = item.request?.url
  return typeof url === 'string' ? url : (url?.raw ?? '')
}

/**
 * Every request of the collection in collection order; the requests to `localhost:1026` are
 * numbered over the whole collection as in docs/compatibility/ngsi-v2.md §0.1 (#1–#75).
 */
export function collectionRequests(collection: CollectionJson): CollectionRequest[] {
  const out: CollectionRequest[] = []
  let spec = 0
  collection.item.forEach((folder, f) => {
    ;(folder.item ?? []).forEach((item, i) => {
      if (!item.request) throw new Error(`"${folder.name}" / "${item.name}" is not a request`)
      const url = rawUrl(item)
      const n = url.startsWith('http://localhost:1026/') ? ++spec : undefined
      out.push({
        folder: folder.name,
        tutorial: f + 1,
        index: i + 1,
        name: item.name,
        method: item.request.method,
        url,
        spec: n,
        label: n !== undefined ? `#${n}` : `T${f + 1}.${i + 1}`,
        item
      })
    })
  })
  return out
}

/** What newman got back for one request. */
export interface Exchange {
  label: string
  name: string
  method: string
  /** The URL newman requested. */
  url: string
  /** Undefined when the request failed at the transport level (see `error`). */
  status?: number
  /** Response headers, names lower-cased (the last one wins when repeated). */
  headers: Record<string, string>
  /** Response body as text ('' when none). */
  text: string
  error?: string
  /** The body parsed as JSON (throws, naming the request, when it is not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON is untyped by nature: the tests' assertions are what check its shape
  json(): any
}

function exchange(req: CollectionRequest, url: string, err: Error | null | undefined, res: NewmanResponse | undefined): Exchange {
  const headers: Record<string, string> = {}
  for (const h of res?.headers.all() ?? []) headers[h.key.toLowerCase()] = h.value
  const text = res ? res.text() : ''
  return {
    label: req.label,
    name: req.name,
    method: req.method,
    url,
    status: res?.code,
    headers,
    text,
    error: err ? err.message : undefined,
    json: () => {
      try {
        return JSON.parse(text)
      } catch {
        throw new Error(`${req.label} "${req.name}": the body is not JSON: ${JSON.stringify(text.slice(0, 300))}`)
      }
    }
  }
}

/**
 * Runs `requests` (consecutive requests of one folder, in collection order) in one newman run: a
 * collection with the same `info`, one folder of the same name, and the collection's own items,
 * unchanged but for the URLs' origins given in `origins` (e.g. `http://localhost:1026` → the
 * ephemeral port of the engine under test). Resolves with one exchange per request, in order.
 */
export function runWithNewman(
  collection: CollectionJson,
  requests: CollectionRequest[],
  opts: { timeoutRequestMs?: number; origins?: Record<string, string> } = {}
): Promise<Exchange[]> {
  const folder = requests[0]?.folder
  if (!folder || requests.some((r) => r.folder !== folder)) throw new Error('runWithNewman: give requests of exactly one folder')
  const items = requests.map((r) => {
    const item = structuredClone(r.item)
    if (item.request) item.request.url = mapOrigin(rawUrl(item), opts.origins ?? {})
    return item
  })
  const sub = { info: structuredClone(collection.info), item: [{ name: folder, item: items }] }
  const got: Exchange[] = []
  return new Promise((resolve, reject) => {
    newman
      .run({ collection: sub, reporters: [], timeoutRequest: opts.timeoutRequestMs ?? 15_000 }, (err, summary) => {
        if (err) return reject(err)
        if (summary.run.error) return reject(summary.run.error instanceof Error ? summary.run.error : new Error(`newman stopped: ${JSON.stringify(summary.run.error)}`))
        if (got.length !== requests.length) {
          return reject(new Error(`newman ran ${got.length} of the ${requests.length} requests of "${folder}": ${got.map((g) => g.name).join(', ')}`))
        }
        resolve(got)
      })
      .on('request', (err, args) => {
        const req = requests[got.length]
        if (!req || req.name !== args.item.name) {
          reject(new Error(`newman ran "${args.item.name}" where "${req?.name}" was expected`))
          return
        }
        got.push(exchange(req, args.request.url.toString(), err, args.response))
      })
  })
}
