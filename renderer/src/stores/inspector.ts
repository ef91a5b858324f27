/**
 * The topic inspector's state. The message log lives in a MessageBuffer outside Vue's reactivity;
 * `version` (a number) is bumped once per batch so views recompute at most ~10 times a second.
 * Topic statistics are polled once a second while a view needs them.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { InspectorBatchDto, InspectorMessageDto, MqttPublishResultDto, RetainedListDto } from '../../../shared/contract'
import { missed, on, onResync, request } from '../services/engine'
import { MessageBuffer } from '../services/message-buffer'
import { onEngineRestart } from './status'
import type { TopicStat } from '../services/topic-tree'

export const LOG_LIMIT = 5000
export const HOLD_LIMIT = 2000
/** Most messages one `inspector.messages` request may return. */
const FETCH_LIMIT = 10_000

export const useInspector = defineStore('inspector', () => {
  const buffer = markRaw(new MessageBuffer<InspectorMessageDto>(LOG_LIMIT, HOLD_LIMIT))
  const version = shallowRef(0)
  const paused = ref(false)
  const stats = shallowRef<InspectorBatchDto['stats'] | null>(null)
  const topics = shallowRef<TopicStat[]>([])
  const loadingMissing = ref(false)
  let started = false
  let topicTimer: ReturnType<typeof setInterval> | null = null
  let topicUsers = 0

  const held = computed(() => (version.value, buffer.held.length))
  const missing = computed(() => (version.value, buffer.missingCount))

  function bump(): void {
    version.value++
  }

  function start(): void {
    if (started) return
    started = true
    on('inspector', (batch) => {
      buffer.accept(batch.messages, batch.stats.messages)
      stats.value = batch.stats
      bump()
    })
    // Batches this page missed: what the engine has recorded since counts as "N more", to load on demand.
    onResync((streams) => {
      if (!missed(streams, 'inspector')) return
      request('engine.status', {})
        .then((s) => {
          buffer.accept([], s.inspector.messages)
          bump()
        })
        .catch(() => {})
    })
    const seed = (): void => {
      request('inspector.messages', { limit: 500 })
        .then((msgs) => {
          buffer.seed(msgs)
          bump()
        })
        .catch(() => {})
    }
    // A new engine numbers its messages from 1 again: start over with its history.
    onEngineRestart(() => {
      buffer.reset()
      bump()
      seed()
    })
    seed()
  }

  function setPaused(p: boolean): void {
    paused.value = p
    if (p) buffer.pause()
    else buffer.resume()
    bump()
  }

  function clear(): void {
    buffer.clear()
    bump()
  }

  /**
   * Fetches the missing messages that the engine still has and the view can show (the newest
   * LOG_LIMIT sequence numbers), oldest first, a few requests at most; the others are counted as
   * lost (gone from the engine's buffer) or trimmed (older than the view keeps).
   */
  async function loadMissing(): Promise<void> {
    if (loadingMissing.value) return
    loadingMissing.value = true
    try {
      const { inspector: st } = await request('engine.status', {})
      const available = st.messages - st.buffered + 1
      buffer.discardMissingBefore(st.messages - LOG_LIMIT + 1, available)
      for (let i = 0; i < 3 && buffer.missingRanges.length; i++) {
        const from = buffer.missingRanges[0]![0]
        const last = buffer.missingRanges[buffer.missingRanges.length - 1]![1]
        const to = Math.min(last, from + FETCH_LIMIT - 1)
        const fetched = await request('inspector.messages', { afterSeq: from - 1, limit: to - from + 1 })
        buffer.fill([from, to], fetched)
        bump()
      }
    } finally {
      loadingMissing.value = false
      bump()
    }
  }

  async function pollTopics(): Promise<void> {
    try {
      topics.value = await request('inspector.topics', {})
    } catch {
      // The next poll tries again; the connection banner says why.
    }
  }

  /** Polls topic statistics once a second while at least one view wants them. */
  function watchTopics(): () => void {
    topicUsers++
    if (!topicTimer) {
      void pollTopics()
      topicTimer = setInterval(() => void pollTopics(), 1000)
    }
    return () => {
      topicUsers--
      if (topicUsers === 0 && topicTimer) {
        clearInterval(topicTimer)
        topicTimer = null
      }
    }
  }

  /** Publishes as the GUI; the result says whether the agent accepted the message (on an agent topic). */
  async function publish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): Promise<MqttPublishResultDto> {
    return request('mqtt.publish', { topic, payload, qos, retain })
  }

  /** The retained messages the broker holds (embedded) or the engine saw (external): `source` says which. */
  async function loadRetained(): Promise<RetainedListDto> {
    return request('inspector.retained', {})
  }

  return { buffer, version, paused, stats, topics, held, missing, loadingMissing, start, setPaused, clear, loadMissing, watchTopics, publish, loadRetained }
})
