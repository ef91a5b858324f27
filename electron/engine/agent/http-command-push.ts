import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

/**
 * Where a push request really goes: the tutorial-host resolver routes a name that does not resolve
 * here (`dummy-device:80`) to a built-in service, and says so in `via`. Default: unchanged.
 */
export type RewriteUrl = (url: URL) => Promise<{ url: URL; via?: string }>

export const IDENTITY_URL: RewriteUrl = (url) => Promise.resolve({ url })

/** Bytes of a device's answer that are read; the rest is dropped (an answer is one short line). */
export const MAX_ANSWER_BYTES = 64 * 1024

export interface PushRequest {
  endpoint: string
  /** Text, or bytes for a binary `payloadType`. */
  body: string | Buffer
  headers: Record<string, string>
  /** No answer within this many ms ends the exchange; 0: no limit. */
  timeoutMs: number
  signal: AbortSignal
}

/** What came of one push: the device's answer, or why there is none (in the reference's words). */
export interface PushResult {
  /** The URL after rewriting. */
  url: string
  via?: string
  status?: number
  /** The answer's body (up to MAX_ANSWER_BYTES). */
  body?: string
  /** Connection error, timeout or refused URL, as `<ErrorName>: <message>`. */
  error?: string
  latencyMs: number
}

/**
 * POSTs a command to a device's endpoint (docs/compatibility/iot-agent-ul.md §5.7). Never throws:
 * every failure comes back as `error`.
 */
export async function pushCommand(req: PushRequest, rewriteUrl: RewriteUrl): Promise<PushResult> {
  const started = performance.now()
  const latency = (): number => performance.now() - started
  let target: URL
  try {
    target = new URL(req.endpoint)
  } catch {
    return { url: req.endpoint, error: `TypeError: Invalid URL: ${req.endpoint}`, latencyMs: 0 }
  }
  let via: string | undefined
  try {
    const r = await rewriteUrl(target)
    target = r.url
    via = r.via
  } catch (err) {
    return { url: target.href, error: `Error: ${(err as Error).message}`, latencyMs: latency() }
  }
  const base = via === undefined ? { url: target.href } : { url: target.href, via }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { ...base, error: `RequestError: Unsupported protocol "${target.protocol}"`, latencyMs: latency() }
  }
  try {
    const { status, body } = await post(target, req)
    return { ...base, status, body, latencyMs: latency() }
  } catch (err) {
    const e = err as Error
    return { ...base, error: `${e.name}: ${e.message}`, latencyMs: latency() }
  }
}

function post(url: URL, req: PushRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body
    const r = send(url, { method: 'POST', headers: { ...req.headers, 'content-length': String(body.length) }, signal: req.signal })
    let timer: NodeJS.Timeout | undefined
    if (req.timeoutMs > 0) {
      timer = setTimeout(() => {
        const e = new Error(`Timeout awaiting 'request' for ${req.timeoutMs}ms`)
        e.name = 'TimeoutError'
        r.destroy(e)
      }, req.timeoutMs)
      timer.unref?.()
    }
    const done = (): void => clearTimeout(timer)
    r.on('error', (err) => {
      done()
      reject(err.name === 'AbortError' ? Object.assign(new Error('the agent stopped before the device answered'), { name: 'AbortError' }) : err)
    })
    r.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        if (size >= MAX_ANSWER_BYTES) return
        chunks.push(c)
        size += c.length
      })
      res.on('error', (err) => {
        done()
        reject(err)
      })
      res.on('end', () => {
        done()
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8') })
      })
    })
    r.end(body)
  })
}
