/** One plain-language sentence per hop, and whether the hop went well, in words. */
import type { HopDto } from '../../../../shared/contract'
import type { TutorialRouteDto } from '../../../../shared/contract'
import type { MessageKey } from '../../i18n'

type T = (key: MessageKey, params?: Record<string, unknown>) => string
export type HopState = 'ok' | 'fail' | 'waiting' | 'info'

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))
const statusOf = (status: number | undefined, error: string | undefined): string => (status !== undefined ? String(status) : (error ?? '–'))
/** The parameters that say where a request to a tutorial host name went instead. */
const routedParams = (r: TutorialRouteDto, t: T): Record<string, string> => ({ host: r.host, service: t(`tutorialService.${r.service}`), to: r.url })

/** The provider a forwarded update went to, as host[:port] of its URL (the agent, tutorial 4's context provider, any other). */
function providerOf(url: string): string {
  try {
    return new URL(url).host || url
  } catch {
    return url
  }
}

/** `deviceId`: the trace's device, which the `resolved` hop names. */
export function hopSentence(h: HopDto, t: T, deviceId?: string): string {
  switch (h.step) {
    case 'received':
      return h.clientId
        ? t('hop.received', { topic: h.topic, qos: h.qos, bytes: h.bytes, client: h.clientId })
        : t('hop.receivedAnon', { topic: h.topic, qos: h.qos, bytes: h.bytes })
    case 'parsed':
      return t('hop.parsed', { apikey: h.apikey, device: h.deviceId, kind: h.attribute ? `${h.kind} (${h.attribute})` : h.kind })
    case 'resolved':
      if (h.outcome === 'rejected') return t('hop.resolvedRejected', { reason: h.message ?? h.reason ?? '–' })
      return t('hop.resolved', { device: deviceId ?? '–', entity: h.entityId ?? '–', outcome: t(h.outcome === 'provisioned' ? 'hop.provisioned' : 'hop.autoprovisioned') })
    case 'decoded':
      return t('hop.decoded', { pairs: h.pairs.map((p) => `${p.key}=${str(p.value)}`).join(', ') })
    case 'mapped':
      return t('hop.mapped', { entity: h.entityId, type: h.entityType, attrs: h.attributes.map((a) => `${a.name} (${a.type})`).join(', ') })
    case 'context-update':
      if (h.mode === 'embedded') return t('hop.updateEmbedded', { entity: h.entityId, changed: h.changed.join(', ') || '–', written: h.written.join(', ') || '–' })
      return t('hop.updateExternal', { method: h.request.method, url: h.request.url, status: statusOf(h.status, h.error), ms: Math.round(h.latencyMs) })
    case 'queued':
      return t('hop.queued', { n: h.entities })
    case 'notification':
      if (h.routed) return t('hop.notificationRouted', { sub: h.subscriptionId, url: h.url, status: statusOf(h.status, h.error), ...routedParams(h.routed, t) })
      if (h.receiver === 'built-in') return t('hop.notificationBuiltIn', { sub: h.subscriptionId, url: h.url, status: statusOf(h.status, h.error), host: h.host ?? '–' })
      return t('hop.notification', { sub: h.subscriptionId, url: h.url, status: statusOf(h.status, h.error) })
    case 'rejected':
      return t('hop.rejected', { code: h.code, message: h.message })
    case 'request':
      return t(h.from === 'gui' ? 'hop.requestGui' : 'hop.request', { method: h.request.method, url: h.request.url })
    case 'registration':
      return t('hop.registration', { reg: h.registrationId, attrs: h.attributes.join(', '), entity: h.entityId, provider: h.provider })
    case 'forwarded':
      if (h.routed) {
        return t('hop.forwardedRouted', { method: h.request.method, url: h.request.url, status: statusOf(h.status, h.error), ms: Math.round(h.latencyMs), ...routedParams(h.routed, t) })
      }
      return t('hop.forwarded', { provider: providerOf(h.request.url), method: h.request.method, url: h.request.url, status: statusOf(h.status, h.error), ms: Math.round(h.latencyMs) })
    case 'provider-request':
      return t('hop.providerRequest', { method: h.request.method, url: h.request.url })
    case 'published':
      return t('hop.published', { command: h.command, device: h.deviceId, topic: h.topic, payload: h.payload })
    case 'pending':
      return t('hop.pending', { command: h.command, entity: h.entityId })
    case 'reply':
      return t('hop.reply', { topic: h.topic, payload: h.payload })
    case 'device-request': {
      const params = { command: h.command, device: h.deviceId, url: h.request.url, status: statusOf(h.status, h.error), ms: Math.round(h.latencyMs), answer: h.answer ? `: ${h.answer}` : '' }
      return h.via ? t('hop.deviceRequestVia', { ...params, via: h.via }) : t('hop.deviceRequest', params)
    }
    case 'delivered':
      return t('hop.delivered', { device: h.deviceId, command: h.command, payload: h.payload })
    case 'result':
      return t('hop.result', { command: h.command, status: h.status, info: h.info === undefined ? '' : ` (${str(h.info)})` })
    case 'response':
      return t('hop.response', { status: statusOf(h.status, h.error) })
  }
}

const okStatus = (s: number | undefined): boolean => s !== undefined && s >= 200 && s < 300

export function hopState(h: HopDto): HopState {
  switch (h.step) {
    case 'resolved':
      return h.outcome === 'rejected' ? 'fail' : 'ok'
    case 'rejected':
      return 'fail'
    case 'context-update':
      return h.mode === 'embedded' ? 'ok' : okStatus(h.status) ? 'ok' : 'fail'
    case 'notification':
    case 'forwarded':
    case 'device-request':
    case 'response':
      return okStatus(h.status) ? 'ok' : 'fail'
    case 'pending':
    case 'queued':
      return 'waiting'
    case 'result':
      return h.status === 'OK' ? 'ok' : 'fail'
    default:
      return 'info'
  }
}

/** The hop's raw frame as text: the MQTT payload, or the HTTP exchange. */
export function rawFrame(h: HopDto): string | undefined {
  const http = (r: { method: string; url: string; headers: Record<string, string>; body?: string; bodyBytes?: number; status?: number }, status?: number): string => {
    const lines = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)]
    if (r.body) lines.push('', r.body + (r.bodyBytes !== undefined && r.bodyBytes > r.body.length ? ` … (${r.bodyBytes} bytes)` : ''))
    const s = status ?? r.status
    if (s !== undefined) lines.push('', `→ ${s}`)
    return lines.join('\n')
  }
  switch (h.step) {
    case 'received':
      return `${h.topic}\n\n${h.payload}${h.truncated ? ' …' : ''}`
    case 'published':
    case 'reply':
      return `${h.topic}\n\n${h.payload}`
    case 'request':
    case 'provider-request':
      return http(h.request)
    case 'forwarded':
      return http(h.request, h.status)
    case 'device-request':
      return http(h.request, h.status) + (h.answer ? `\n${h.answer}` : h.error ? `\n${h.error}` : '')
    case 'delivered':
      return h.payload
    case 'context-update':
      return h.mode === 'external' ? http(h.request, h.status) : undefined
    default:
      return undefined
  }
}
