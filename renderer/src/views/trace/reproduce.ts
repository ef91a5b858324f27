/**
 * The shell commands that replay a trace: `mosquitto_pub` for the MQTT message that began a
 * measure, `curl` for the NGSI requests in it (the one that began a command, the update sent to an
 * external Orion).
 */
import type { HttpFrameDto, TraceDto } from '../../../../shared/contract'
import { shellQuote } from '../../services/curl'

export interface ReplayBases {
  /** The MQTT broker devices connect to, as `mqtt://host:port`. */
  mqttUrl: string
  /** The context broker a client talks to, for requests recorded with a path only. */
  ngsiUrl: string
}

/** Headers that curl sets itself or that only describe one transfer. */
const SKIP = new Set(['host', 'content-length', 'connection', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'transfer-encoding', 'sec-fetch-mode'])

export function mosquittoPub(mqttUrl: string, topic: string, payload: string, qos: number): string {
  let host = 'localhost'
  let port = '1883'
  try {
    const u = new URL(mqttUrl)
    host = u.hostname || host
    port = u.port || port
  } catch {
    // keep the defaults
  }
  return `mosquitto_pub -h ${shellQuote(host)} -p ${port} -q ${qos} -t ${shellQuote(topic)} -m ${shellQuote(payload)}`
}

export function curlFromFrame(frame: HttpFrameDto, base: string): string {
  const url = /^https?:\/\//.test(frame.url) ? frame.url : `${base.replace(/\/$/, '')}${frame.url}`
  const lines = [`curl -iX ${frame.method} ${shellQuote(url)}`]
  for (const [k, v] of Object.entries(frame.headers)) if (!SKIP.has(k.toLowerCase())) lines.push(`  -H ${shellQuote(`${k}: ${v}`)}`)
  if (frame.body !== undefined && frame.body !== '') lines.push(`  -d ${shellQuote(frame.body)}`)
  return lines.join(' \\\n')
}

/** The commands, in the order of the hops; empty when nothing in the trace can be replayed. */
export function replayCommands(trace: TraceDto, bases: ReplayBases): string[] {
  const out: string[] = []
  for (const h of trace.hops) {
    if (h.step === 'received') out.push(mosquittoPub(bases.mqttUrl, h.topic, h.payload, h.qos))
    else if (h.step === 'request') out.push(curlFromFrame(h.request, bases.ngsiUrl))
    else if (h.step === 'context-update' && h.mode === 'external') out.push(curlFromFrame(h.request, bases.ngsiUrl))
  }
  return out
}
