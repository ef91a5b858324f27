import { connect, type IPublishPacket, type MqttClient } from 'mqtt'
import type { ExternalMqttConfig } from '../config/types'
import type { Logger } from '../log/logger'
import { ACK_WINDOW, AckWindow } from './ack-window'
import { EchoFilter } from './echo-filter'
import { describeConnectError, newClientId, resolveTarget, safeUrl, type ExternalTarget } from './external-options'
import { RemoteSubscriptions } from './remote-subscriptions'
import { RetainedSeen } from './retained-seen'
import { BrokerBase } from './broker-base'
import { callIngress, settledWithin, toBuffer } from './support'
import { topicFilterProblem, topicNameProblem } from './topic-filter'
import { RETAINED_MAX, type BrokerStatus, type MqttBroker, type MqttMessage, type PublishOptions, type RetainedSnapshot, type SubscriptionHandler } from './types'

export interface ExternalBrokerTuning {
  /** First reconnection delay; doubles on every failed attempt. */
  reconnectMinMs?: number
  reconnectMaxMs?: number
  /** A connection attempt without CONNACK after this long fails. */
  connectTimeoutMs?: number
  /** How long stop() waits for held acknowledgements and for DISCONNECT to go out. */
  stopGraceMs?: number
}

/**
 * A client of an external MQTT broker (mqtt.js), in the agent's place. One mqtt.js client per
 * connection attempt, with mqtt.js' own reconnection off: every attempt gets a new client id
 * (`<prefix>_<8 hex>`, as iotagent-ul), a clean session, and the subscriptions again, and the
 * delay between attempts backs off.
 *
 * Acknowledgements: mqtt.js handles the packets of a connection one after the other, and sends
 * the PUBACK of a QoS 1 delivery when the callback of `handleMessage(packet, callback)` is called
 * without an error (lib/handlers/publish.js); called with one, it goes on to the next packet and
 * sends nothing. So a QoS 1 delivery is handed to the ingress, the callback is called at once with
 * an error, and the PUBACK is sent later through the client's own packet writer, once the ingress
 * calls done() and in arrival order (AckWindow, at most ACK_WINDOW deliveries waiting): one group
 * commit of the ingress then covers many deliveries. Should that writer be missing (another
 * mqtt.js), the callback itself is held until done(), a window of one.
 */
export class ExternalBroker extends BrokerBase implements MqttBroker {
  // `generation` is bumped for every connection attempt: events and done() of an older one are ignored.
  readonly kind = 'external' as const
  private target: ExternalTarget | undefined
  private client: MqttClient | undefined
  private readonly subs: RemoteSubscriptions
  private readonly echoes = new EchoFilter()
  private readonly retainedSeen = new RetainedSeen()
  private stopped = false
  private reconnects = 0
  private lastErrorAt: number | undefined
  /** When the current connection was made (its subscriptions included). */
  private connectedSince: number | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private firstAttempt: { resolve: () => void; reject: (err: Error) => void } | undefined
  private readonly tuning: Required<ExternalBrokerTuning>

  constructor(
    private readonly config: ExternalMqttConfig,
    logger: Logger,
    tuning: ExternalBrokerTuning = {}
  ) {
    super(logger, 'the external MQTT connection was stopped; create a new one')
    this.tuning = { reconnectMinMs: 1000, reconnectMaxMs: 30_000, connectTimeoutMs: 10_000, stopGraceMs: 1500, ...tuning }
    this.subs = new RemoteSubscriptions(this.log, () => (this.client?.connected ? this.client : undefined))
  }

  protected async doStart(): Promise<void> {
    try {
      this.target = await resolveTarget(this.config)
    } catch (err) {
      this.lastError = (err as Error).message
      this.lastErrorAt = Date.now()
      this.emitStatus()
      throw err
    }
    if (this.stopped) throw new Error('the external MQTT connection was stopped before it connected')
    await new Promise<void>((resolve, reject) => {
      this.firstAttempt = { resolve, reject }
      this.attempt()
    })
  }

  /** One connection attempt with a fresh mqtt.js client. */
  private attempt(): void {
    const target = this.target!
    const generation = ++this.generation
    const clientId = newClientId(this.config.clientId)
    const v5 = this.config.protocolVersion === 5
    const client = connect(target.url, {
      ...target.options,
      clientId,
      clean: true,
      // 3.1.1 as iotagent-ul, or 5 when the settings ask for it (mqtt.protocolVersion).
      protocolVersion: this.config.protocolVersion ?? 4,
      // MQTT 5 (§3.1.2.11.3): the broker may send as many QoS 1 deliveries unacknowledged as the
      // ack window holds, so that one group commit covers many. A 3.1.1 broker decides alone
      // (Mosquitto: max_inflight_messages, 20 by default).
      ...(v5 ? { properties: { ...target.options.properties, receiveMaximum: ACK_WINDOW } } : {}),
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      connectTimeout: this.tuning.connectTimeoutMs
    })
    this.client = client
    const send = packetWriter(client)
    let corked = false
    const window = send
      ? new AckWindow((messageId) => {
          // After a disconnection the PUBACK must not go out: mqtt.js would queue it for the next
          // session, where its message id names another message.
          if (generation !== this.generation || !client.connected) return
          // The PUBACKs released by one group commit leave in one write.
          if (!corked) {
            corked = true
            client.stream.cork()
            process.nextTick(() => {
              corked = false
              client.stream.uncork()
            })
          }
          send({ cmd: 'puback', messageId, reasonCode: 0 })
        })
      : undefined
    client.handleMessage = (packet, callback) => this.onDelivery(generation, window, packet, callback)
    let failure: string | undefined
    client.on('error', (err) => {
      failure = describeConnectError(err)
    })
    client.on('connect', () => {
      if (generation === this.generation) this.onConnect(generation, client, clientId)
    })
    client.on('close', () => {
      if (generation === this.generation) this.onClose(client, failure)
    })
  }

  private onConnect(generation: number, client: MqttClient, clientId: string): void {
    this.subs.subscribeAll(client, (err, refused) => {
      // An error here means the connection closed meanwhile; onClose() deals with it.
      if (err || generation !== this.generation || !client.connected) return
      if (refused.length > 0) {
        this.lastError = `the broker refused the subscriptions to ${refused.join(', ')}`
        this.lastErrorAt = Date.now()
        this.log.warn('SUBSCRIBE_REFUSED', this.lastError)
      }
      const after = this.reconnects
      this.up = true
      this.connectedSince = Date.now()
      this.reconnects = 0
      if (this.firstAttempt) {
        this.log.info('BROKER_CONNECTED', `connected to ${this.target!.display} as ${clientId}`)
        this.firstAttempt.resolve()
        this.firstAttempt = undefined
      } else {
        this.log.info('BROKER_RECONNECTED', `connected again to ${this.target!.display} as ${clientId} after ${after} attempt(s)`)
      }
      this.emitStatus()
    })
  }

  private onClose(client: MqttClient, failure: string | undefined): void {
    const display = this.target!.display
    const wasUp = this.up
    this.up = false
    this.echoes.clear()
    // mqtt.js' own reconnection is off; end() releases its timers and stores.
    client.end(true)
    const cause = failure ?? (wasUp ? 'the connection was closed' : 'the broker closed the connection')
    if (this.firstAttempt) {
      const first = this.firstAttempt
      this.firstAttempt = undefined
      this.lastError = `cannot connect to ${display}: ${cause}`
      this.lastErrorAt = Date.now()
      this.emitStatus()
      first.reject(new Error(this.lastError))
      return
    }
    if (this.stopped) return
    this.lastError = `${wasUp ? 'lost the connection to' : 'cannot connect to'} ${display}: ${cause}`
    this.lastErrorAt = Date.now()
    if (wasUp) this.log.warn('BROKER_DISCONNECTED', this.lastError)
    else this.log.debug('BROKER_RETRY_FAILED', this.lastError)
    this.emitStatus()
    const delay = Math.min(this.tuning.reconnectMaxMs, this.tuning.reconnectMinMs * 2 ** Math.min(this.reconnects, 16))
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.stopped) return
      this.reconnects++
      this.emitStatus()
      this.attempt()
    }, delay)
  }

  /**
   * mqtt.js' handleMessage: every delivery from the remote broker, in order. The ingress sees it
   * (origin 'remote') unless it is the copy of an engine publication. Internal subscriptions get
   * it in any case, in the embedded broker's order: after the ingress, and for QoS 1 once the
   * ingress is done.
   */
  private onDelivery(generation: number, window: AckWindow | undefined, packet: IPublishPacket, callback: (err?: Error) => void): void {
    if (window && packet.qos === 1 && packet.messageId !== undefined) {
      // The next packet is read now (or once the window has room); the PUBACK goes out later.
      let release: () => void = noop
      const durable = window.add(packet.messageId, () => release())
      this.handOver(packet, (after) => {
        release = after
        durable()
      })
      window.whenRoom(() => callback(ACKED_LATER))
      return
    }
    this.handOver(packet, (after) => {
      after()
      // After a disconnection the PUBACK must not go out: mqtt.js would queue it for the next
      // session, where its message id names another message.
      if (packet.qos === 0 || generation === this.generation) callback()
    })
  }

  /**
   * One delivery to the ingress and the internal subscriptions; `acknowledge(after)` runs `after`
   * and acknowledges it: at once for QoS 0 and for what the ingress does not see, else when the
   * ingress calls done().
   */
  private handOver(packet: IPublishPacket, acknowledge: (after: () => void) => void): void {
    const topic = packet.topic
    // MQTT 5: the same publication again for another matching subscription is acknowledged only.
    if (!this.subs.isFirstCopy(topic, packet.properties?.subscriptionIdentifier)) return acknowledge(noop)
    const payload = toBuffer(packet.payload)
    if (packet.retain) this.retainedSeen.record(topic, payload, packet.qos)
    const route = (): void => this.subs.route(topic, payload)
    if (this.echoes.consume(topic, payload)) return acknowledge(route)
    this.messagesIn++
    const msg: MqttMessage = { topic, payload, qos: packet.qos, retain: packet.retain, origin: 'remote' }
    if (packet.qos === 0) {
      callIngress(this.ingress, msg, noop, this.log)
      return acknowledge(route)
    }
    const done = this.pending.hold(() => acknowledge(route))
    callIngress(this.ingress, msg, done, this.log)
  }

  async publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): Promise<void> {
    const problem = topicNameProblem(topic)
    if (problem) throw new Error(`cannot publish: ${problem}`)
    this.assertConnected(`publish to ${topic}`)
    const qos = opts.qos ?? 0
    const retain = opts.retain ?? false
    const buf = toBuffer(payload)
    this.messagesOut++
    const msg: MqttMessage = { topic, payload: buf, qos, retain, origin: 'engine' }
    if (opts.by !== undefined) msg.publisher = opts.by
    if (qos === 0) callIngress(this.ingress, msg, noop, this.log)
    else await new Promise<void>((resolve) => callIngress(this.ingress, msg, this.pending.hold(() => resolve()), this.log))
    const client = this.assertConnected(`publish to ${topic}`)
    if (this.subs.covers(topic)) this.echoes.expect(topic, buf)
    await new Promise<void>((resolve, reject) => {
      client.publish(topic, buf, { qos, retain }, (err) => (err ? reject(new Error(`cannot publish to ${topic}: ${err.message}`)) : resolve()))
    })
    if (retain) this.retainedSeen.record(topic, buf, qos)
  }

  /** What the engine's client saw retained (RetainedSeen): the external broker has no request that lists its store. */
  retained(limit: number): Promise<RetainedSnapshot> {
    return Promise.resolve(this.retainedSeen.snapshot(Math.min(limit, RETAINED_MAX)))
  }

  private assertConnected(what: string): MqttClient {
    if (this.up && this.client?.connected) return this.client
    const why = this.lastError ? ` (${this.lastError})` : ''
    throw new Error(`cannot ${what}: not connected to ${this.target?.display ?? this.config.url}${why}`)
  }

  async subscribe(filter: string, handler: SubscriptionHandler): Promise<() => Promise<void>> {
    if (this.stopped) throw new Error(`cannot subscribe to ${filter}: the external MQTT connection is stopped`)
    const problem = topicFilterProblem(filter)
    if (problem) throw new Error(`cannot subscribe: ${problem}`)
    // While disconnected the subscription is only recorded; the next connection makes it.
    return this.subs.add(filter, handler)
  }

  status(): BrokerStatus {
    const s: BrokerStatus = {
      kind: 'external',
      up: this.up,
      listeners: [],
      url: this.target?.display ?? safeUrl(this.config.url),
      clients: 0,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      reconnects: this.reconnects
    }
    if (this.lastError !== undefined) s.lastError = this.lastError
    if (this.lastErrorAt !== undefined) s.lastErrorAt = this.lastErrorAt
    if (this.up && this.connectedSince !== undefined) s.connectedSince = this.connectedSince
    return s
  }

  protected async doStop(): Promise<void> {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const client = this.client
    const wasUp = this.up
    // Held acknowledgements first, while the connection still carries them.
    const released = await this.pending.whenIdle(this.tuning.stopGraceMs)
    if (!released) this.log.warn('BROKER_STOP', `${this.pending.size} MQTT acknowledgements still held at shutdown; those messages were not acknowledged`)
    this.generation++
    this.up = false
    if (this.firstAttempt) {
      this.firstAttempt.reject(new Error(`connection to ${this.target?.display ?? this.config.url} abandoned: stopped`))
      this.firstAttempt = undefined
    }
    if (client?.connected) {
      // A clean DISCONNECT if the broker takes it in time, else the socket is dropped.
      const ended = new Promise<void>((resolve) => client.end(false, {}, () => resolve()))
      if (!(await settledWithin(ended, this.tuning.stopGraceMs))) client.end(true)
    } else client?.end(true)
    this.echoes.clear()
    if (wasUp) this.log.info('BROKER_STOPPED', `disconnected from ${this.target?.display ?? this.config.url}`)
    this.emitStatus()
  }
}

function noop(): void {}

/** Handed to mqtt.js' handleMessage callback: read on, send no PUBACK (lib/handlers/publish.js). */
const ACKED_LATER = new Error('acknowledged once durable')

type PacketWriter = (packet: { cmd: 'puback'; messageId: number; reasonCode: number }) => void

/**
 * mqtt.js' own packet writer (`_sendPacket`, what its handlers use for PUBACK): it encodes the
 * packet for the connection's protocol version and keeps the keepalive timer right. It has no
 * public counterpart, hence the check that it is there.
 */
function packetWriter(client: MqttClient): PacketWriter | undefined {
  const internals = client as unknown as { _sendPacket?: (packet: object) => void }
  const send = internals._sendPacket
  return typeof send === 'function' ? (packet) => send.call(client, packet) : undefined
}
