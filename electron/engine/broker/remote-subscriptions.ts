import type { MqttClient } from 'mqtt'
import type { SourceLogger } from '../log/logger'
import { callSubscriber } from './support'
import { matchesFilter } from './topic-filter'
import { AGENT_TOPIC_FILTERS, type SubscriptionHandler } from './types'

/** The part of a SUBACK this needs (mqtt-packet's type is not re-exported by mqtt.js). */
interface Suback {
  cmd: string
  granted: Array<number | object>
}

/** The SUBACK mqtt.js attaches to the error of a refused subscription. */
function subackOf(err: unknown): Suback | undefined {
  return (err as { packet?: Suback } | null)?.packet
}

/**
 * The subscriptions the external broker client holds on the remote broker: the agent's 16
 * filters, always, and the engine's internal subscriptions, which are also routed locally
 * (the remote broker tells which subscription a delivery matched only in MQTT 5).
 * All are made at QoS 1, so a QoS 1 publication reaches the engine with its acknowledgement
 * flow, and made again on every connection (clean session).
 */
export class RemoteSubscriptions {
  private readonly agent = new Set(AGENT_TOPIC_FILTERS)
  private readonly internal = new Map<string, Set<SubscriptionHandler>>()
  /** MQTT 5: the subscription identifier of each remote filter (1 and up, stable for this client). */
  private readonly ids = new Map<string, number>()

  constructor(
    private readonly log: SourceLogger,
    /** The client of the current connection, when connected. */
    private readonly connected: () => MqttClient | undefined
  ) {}

  /** Subscribes to everything on a new connection; `done` gets the filters the broker refused. */
  subscribeAll(client: MqttClient, done: (err: Error | null, refused: string[]) => void): void {
    const filters = [...this.agent, ...[...this.internal.keys()].filter((f) => !this.agent.has(f))]
    if (client.options.protocolVersion === 5) return this.subscribeAllIdentified(client, filters, done)
    client.subscribe(filters, { qos: 1 }, (err, _granted, packet) => {
      // mqtt.js fails the whole call when one filter is refused, with the SUBACK attached; an
      // error without SUBACK means the connection went away.
      const suback = packet ?? subackOf(err)
      if (suback && suback.cmd === 'suback') done(null, filters.filter((_f, i) => ((suback.granted[i] as number) & 0x80) !== 0))
      else done(err ?? new Error('no SUBACK'), [])
    })
  }

  /**
   * MQTT 5: one SUBSCRIBE per filter, each with its own subscription identifier. A v5 broker may
   * send one copy of a publication per matching subscription (Mosquitto does), each naming its
   * subscription; isFirstCopy() keeps one (docs/compatibility/mqtt-broker.md, MQTT 5).
   */
  private subscribeAllIdentified(client: MqttClient, filters: string[], done: (err: Error | null, refused: string[]) => void): void {
    const refused: string[] = []
    let failure: Error | null = null
    let left = filters.length
    if (left === 0) return done(null, [])
    for (const filter of filters) {
      client.subscribe(filter, { qos: 1, properties: { subscriptionIdentifier: this.idOf(filter) } }, (err, _granted, packet) => {
        const suback = packet ?? subackOf(err)
        if (suback && suback.cmd === 'suback') {
          if (((suback.granted[0] as number) & 0x80) !== 0) refused.push(filter)
        } else failure ??= err ?? new Error('no SUBACK')
        if (--left === 0) done(failure, failure ? [] : refused)
      })
    }
  }

  private idOf(filter: string): number {
    let id = this.ids.get(filter)
    if (id === undefined) this.ids.set(filter, (id = this.ids.size + 1))
    return id
  }

  /**
   * MQTT 5: whether a delivery is the one copy to handle. `ids` are the subscription identifiers
   * it carries; the copy naming the lowest-numbered of this client's filters matching `topic` is
   * handled, the others (the same publication again, for an overlapping subscription) are not.
   * A delivery without identifiers (an MQTT 3.1.1 connection) is always handled.
   */
  isFirstCopy(topic: string, ids: number | number[] | undefined): boolean {
    if (ids === undefined) return true
    let first: number | undefined
    for (const [filter, id] of this.ids) {
      if ((this.agent.has(filter) || this.internal.has(filter)) && (first === undefined || id < first) && matchesFilter(filter, topic)) first = id
    }
    if (first === undefined) return true
    return Array.isArray(ids) ? ids.includes(first) : ids === first
  }

  /** True when a publication on `topic` comes back to this client. */
  covers(topic: string): boolean {
    for (const f of this.agent) if (matchesFilter(f, topic)) return true
    for (const f of this.internal.keys()) if (matchesFilter(f, topic)) return true
    return false
  }

  /** Hands a delivery to every internal subscription it matches. */
  route(topic: string, payload: Buffer): void {
    if (this.internal.size === 0) return
    for (const [filter, handlers] of this.internal) {
      if (!matchesFilter(filter, topic)) continue
      for (const h of handlers) callSubscriber(h, topic, payload, this.log)
    }
  }

  /**
   * Adds an internal subscription. While connected the remote subscription is made now (a
   * refusal rejects); otherwise the next connection's subscribeAll() makes it.
   */
  async add(filter: string, handler: SubscriptionHandler): Promise<() => Promise<void>> {
    // The handler is wrapped so that subscribing one function twice gives two subscriptions,
    // each removed by its own function.
    const entry: SubscriptionHandler = (topic, payload) => handler(topic, payload)
    let handlers = this.internal.get(filter)
    const isNew = !handlers && !this.agent.has(filter)
    if (!handlers) this.internal.set(filter, (handlers = new Set()))
    handlers.add(entry)
    const client = this.connected()
    if (isNew && client) {
      try {
        await client.subscribeAsync(filter, client.options.protocolVersion === 5 ? { qos: 1, properties: { subscriptionIdentifier: this.idOf(filter) } } : { qos: 1 })
      } catch (err) {
        this.remove(filter, entry)
        const refused = (err as Error & { packet?: Suback }).packet?.cmd === 'suback'
        throw new Error(`cannot subscribe to ${filter}: ${refused ? 'the broker refused it' : (err as Error).message}`, { cause: err })
      }
    }
    let removed = false
    return async () => {
      if (removed) return
      removed = true
      if (!this.remove(filter, entry) || this.agent.has(filter)) return
      await this.connected()?.unsubscribeAsync(filter).catch(() => undefined)
    }
  }

  /** Removes one handler; true when it was the filter's last one. */
  private remove(filter: string, entry: SubscriptionHandler): boolean {
    const handlers = this.internal.get(filter)
    if (!handlers) return false
    handlers.delete(entry)
    if (handlers.size > 0) return false
    this.internal.delete(filter)
    return true
  }
}
