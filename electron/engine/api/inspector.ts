import type { EngineApi, InspectorBatchDto, InspectorMessageDto, MqttPublishResultDto, RetainedListDto } from '../../../shared/contract'
import type { MqttBroker, RetainedSnapshot } from '../broker/types'
import type { InspectedMessage, Inspector } from '../inspector/inspector'
import { messageBadges, messageHop, messageSource, messageVerdict } from '../inspector/message-origin'
import { BATCH_MS, type EventHub } from './events'

/** Messages carried by one inspector batch; the others of the period are counted in `skipped`. */
export const INSPECTOR_BATCH_MESSAGES = 200
/** Payload bytes carried by one batch: a few large payloads must not make a batch of megabytes. */
export const INSPECTOR_BATCH_BYTES = 1024 * 1024

/** The newest messages of `found` whose payloads fit in the byte budget (at least the newest one). */
function withinBudget(found: InspectedMessage[]): InspectedMessage[] {
  let bytes = 0
  let i = found.length
  while (i > 0 && (i === found.length || bytes + found[i - 1]!.payload.length <= INSPECTOR_BATCH_BYTES)) bytes += found[--i]!.payload.length
  return i === 0 ? found : found.slice(i)
}

export function inspectorDto(m: InspectedMessage): InspectorMessageDto {
  const o = m.outcome
  return {
    seq: m.seq,
    time: m.time,
    topic: m.topic,
    payload: m.payload.toString('utf8'),
    size: m.size,
    truncated: m.size > m.payload.length,
    qos: m.qos,
    retain: m.retain,
    origin: m.origin,
    clientId: m.clientId,
    agent: o ? { ...(o.agent === undefined ? {} : { protocol: o.agent }), kind: o.kind, deviceId: o.deviceId, entityId: o.entityId, attributes: o.attributes, error: o.error, message: o.message } : null,
    ...(o?.traceId === undefined ? {} : { traceId: o.traceId }),
    source: messageSource(m),
    hop: messageHop(m),
    verdict: messageVerdict(m),
    badges: messageBadges(m)
  }
}

/** Retained messages listed by default (the request's limit is at most RETAINED_MAX). */
const RETAINED_LIMIT = 500

export function retainedDto(r: RetainedSnapshot): RetainedListDto {
  return {
    source: r.source,
    more: r.more,
    messages: r.messages.map((m) => ({
      topic: m.topic,
      payload: m.payload.toString('utf8'),
      size: m.size,
      truncated: m.size > m.payload.length,
      qos: m.qos,
      ...(m.seenAt === undefined ? {} : { seenAt: m.seenAt })
    }))
  }
}

/** What the GUI's publish panel is told about its message. */
function publishResult(m: InspectedMessage | undefined): MqttPublishResultDto {
  if (!m) return { verdict: 'not-for-agent' }
  const r: MqttPublishResultDto = { seq: m.seq, verdict: messageVerdict(m) }
  if (m.outcome?.error !== undefined) r.error = m.outcome.error
  if (m.outcome?.message !== undefined) r.message = m.outcome.message
  return r
}

/**
 * `mqtt.publish`, `inspector.messages`, `inspector.topics`, `inspector.retained` and the `inspector` stream.
 *
 * The stream does not hook the message path: while someone listens, a timer looks ten times a
 * second at the inspector's sequence number and sends the newest messages of the period (at most
 * INSPECTOR_BATCH_MESSAGES, and INSPECTOR_BATCH_BYTES of payload); `skipped` counts the older ones
 * of the period, which stay in the ring for `inspector.messages` (unless the ring already
 * overwrote them).
 *
 * `inspector.messages`: without `afterSeq`, the newest `limit` messages (to fill a view); with it,
 * the oldest `limit` messages after `afterSeq` (forward paging: to fill the gap of skipped
 * messages, or to catch up after a pause). Sequence numbers are contiguous, so
 * `{afterSeq: s - n - 1, limit: n}` also reads the n messages before `s` (scrolling back).
 */
export interface InspectorSources {
  readonly inspector: Inspector
  readonly broker: Pick<MqttBroker, 'publish' | 'retained'>
}

export function inspectorArea({ inspector, broker }: InspectorSources, hub: EventHub): Pick<EngineApi, 'mqtt.publish' | 'inspector.messages' | 'inspector.topics' | 'inspector.retained'> {
  hub.whileListened(['inspector'], () => {
    let lastSeq = inspector.lastSeq
    let lastRate = -1
    const timer = setInterval(() => {
      const seq = inspector.lastSeq
      const s = inspector.stats()
      const stats: InspectorBatchDto['stats'] = { messages: s.messages, rate: s.rate, buffered: s.buffered, bufferedBytes: s.bufferedBytes, topics: s.topics }
      // An empty batch only when the rate changed, so that a quiet engine shows 0 msg/s once.
      if (seq === lastSeq && s.rate === lastRate) return
      const messages = seq > lastSeq ? withinBudget(inspector.messages({ afterSeq: lastSeq, limit: INSPECTOR_BATCH_MESSAGES })).map(inspectorDto) : []
      const skipped = seq - lastSeq - messages.length
      lastSeq = seq
      lastRate = s.rate
      hub.emit('inspector', { messages, skipped, stats })
    }, BATCH_MS)
    timer.unref?.()
    return () => clearInterval(timer)
  })

  return {
    'mqtt.publish': async ({ topic, payload, qos, retain }) => {
      const before = inspector.lastSeq
      const sent = broker.publish(topic, payload, { qos, retain, by: 'gui' })
      // The ingress (the agent, then the inspector) runs synchronously inside publish(): when the
      // broker took the message, it is the one recorded right after `before`.
      const recorded = inspector.lastSeq === before + 1 ? inspector.after(before, 1)[0] : undefined
      await sent
      return publishResult(recorded?.publisher === 'gui' && recorded.topic === topic ? recorded : undefined)
    },
    'inspector.messages': async ({ afterSeq, limit }) => {
      const n = limit ?? 1000
      const found = afterSeq === undefined ? inspector.messages({ limit: n }) : inspector.after(afterSeq, n)
      return found.map(inspectorDto)
    },
    'inspector.topics': async () => inspector.topicStats(),
    'inspector.retained': async ({ limit }) => retainedDto(await broker.retained(limit ?? RETAINED_LIMIT))
  }
}
