import { Aedes, type AedesPublishPacket, type Client, type PublishPacket } from 'aedes'
import type { Duplex } from 'node:stream'
import type { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { EngineConfig } from '../config/types'
import type { MqttAuthStatusDto } from '../../../shared/status'
import type { Logger } from '../log/logger'
import { createHostGuard } from '../net/host-guard'
import { openListeners, type MqttListeners } from './embedded-listeners'
import { readListenerTls } from './embedded-tls'
import { authEnabled, CONNACK_NOT_AUTHORIZED, MqttAuthorizer } from './auth/authorizer'
import { BrokerBase } from './broker-base'
import { IncomingGuard, type IncomingStore } from './incoming-guard'
import { callIngress, callSubscriber, settledWithin, toBuffer } from './support'
import { topicFilterProblem, topicNameProblem } from './topic-filter'
import { RETAINED_MAX, RETAINED_PREVIEW_BYTES, type BrokerListener, type BrokerStatus, type MqttBroker, type MqttMessage, type PublishOptions, type RetainedMessage, type RetainedSnapshot, type SubscriptionHandler } from './types'

/** How long stop() lets the ingress finish held acknowledgements, then Aedes close its clients. */
const STOP_GRACE_MS = 1500

const SYS_PREFIX = '$SYS/'
const DOLLAR = 36
/**
 * Where a publication the ACL denies goes: Aedes has no way to acknowledge a PUBLISH without
 * delivering it, so the packet is redirected here (not retained) and never forwarded to anyone.
 * The client gets its PUBACK/PUBREC as Mosquitto sends them for a denied MQTT 3.1.1 publication.
 */
const DENIED_TOPIC = '$ULCC/denied'

/**
 * The embedded MQTT broker: Aedes behind TCP and WebSocket listeners on every configured host.
 * Every PUBLISH of a client passes through the ingress from Aedes' authorizePublish hook, which
 * runs before the acknowledgement is written (lib/handlers/publish.js: authorizePublish, then
 * PUBACK, then delivery; for QoS 2 the PUBREC comes after delivery). Holding that hook's callback
 * until the ingress calls done() therefore holds the PUBACK/PUBREC of that one message.
 */
export class EmbeddedBroker extends BrokerBase implements MqttBroker {
  readonly kind = 'embedded' as const
  private aedes: Aedes | undefined
  private net: MqttListeners | undefined
  private listeners: BrokerListener[] = []
  private clients = 0
  private auth: MqttAuthorizer | undefined
  /** The user name each authenticated client connected with (for the ACL). */
  private readonly usernames = new WeakMap<Client, string | undefined>()
  /** Connections refused before authentication, by reason (MqttRefusedConnectsDto). */
  private readonly refusedConnects = { protocolVersion: 0, malformed: 0 }

  // `generation` is bumped by stop(): a done() of a message received before it no longer touches Aedes.
  constructor(
    private readonly config: Pick<EngineConfig, 'hosts' | 'ports'> & Partial<Pick<EngineConfig, 'allowedHosts' | 'mqtt'>>,
    logger: Logger
  ) {
    super(logger, 'the embedded MQTT broker was stopped; create a new one')
  }

  protected async doStart(): Promise<void> {
    const mqtt = this.config.mqtt?.mode === 'embedded' ? this.config.mqtt : { mode: 'embedded' as const }
    let auth: MqttAuthorizer | undefined
    if (authEnabled(mqtt, this.config.hosts)) {
      try {
        auth = new MqttAuthorizer(mqtt, this.config.hosts, this.log, () => this.emitStatus())
      } catch (err) {
        this.lastError = (err as Error).message
        this.emitStatus()
        throw err
      }
    }
    this.auth = auth
    const aedes = await Aedes.createBroker({
      ...(auth ? this.authHooks(auth) : {}),
      authorizePublish: (client, packet, callback) => this.onClientPublish(client, packet, callback),
      // Mosquitto accepts client ids of any length; Aedes' default (23, the 3.1.1 minimum a
      // server must accept) would refuse ids many real devices and tools use.
      maxClientsIdLength: 65535,
      // MQTT 5 topic aliases from clients: up to 10 per connection, Mosquitto's default max_topic_alias.
      topicAliasMaximum: 10
    })
    this.aedes = aedes
    nullPrototypeSessions(aedes)
    // Aedes' typings leave `persistence` out; the default one is aedes-persistence's memory store.
    const incoming = new IncomingGuard((aedes as unknown as { persistence: IncomingStore }).persistence)
    aedes.on('client', () => this.clientsChanged(+1))
    aedes.on('clientDisconnect', (client: Client) => {
      incoming.disconnected(client)
      this.clientsChanged(-1)
    })
    aedes.on('clientError', (client: Client, err: Error) => {
      this.log.debug('CLIENT_ERROR', `MQTT client ${client.id ?? '(connecting)'}: ${err.message}`)
    })
    aedes.on('connectionError', (_client: Client, err: Error) => this.onConnectionError(err))
    // Aedes emits 'error' on persistence failures; unhandled it would crash the process.
    ;(aedes as EventEmitter).on('error', (err: Error) => this.log.error('BROKER_ERROR', `MQTT broker: ${err.message}`))

    const handle = (stream: Duplex, req?: IncomingMessage): void => {
      nullPrototypeSessions(aedes.handle(stream, req))
    }
    try {
      const hostGuard = createHostGuard({ hosts: this.config.hosts, allowedHosts: this.config.allowedHosts, log: this.log })
      this.net = await openListeners(handle, this.config.hosts, this.config.ports.mqtt, this.config.ports.mqttWs, this.log, hostGuard, readListenerTls(mqtt))
    } catch (err) {
      this.lastError = (err as Error).message
      this.aedes = undefined
      this.auth = undefined
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      this.emitStatus()
      throw err
    }
    this.listeners = this.net.listeners
    auth?.watch()
    this.up = true
    const where = this.listeners.map((l) => `${l.protocol}://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`).join(', ')
    this.log.info('BROKER_STARTED', `embedded MQTT broker listening on ${where}`)
    this.emitStatus()
  }

  /**
   * Aedes' hooks for Mosquitto's password and ACL files (docs/compatibility/mqtt-broker.md). Only
   * network clients pass through them: the engine's publications (publish() below: agent
   * commands, simulator, GUI) go to Aedes directly, and its subscriptions are in-process, so the
   * ACL never applies to the engine.
   */
  private authHooks(auth: MqttAuthorizer): Pick<NonNullable<Parameters<typeof Aedes.createBroker>[0]>, 'authenticate' | 'authorizeForward'> {
    return {
      authenticate: (client, username, password, callback) => {
        auth.authenticate(username, password).then(
          (result) => {
            if (result.ok) {
              this.usernames.set(client, username)
              callback(null, true)
              return
            }
            this.log.info('MQTT_CONNECT_REFUSED', `MQTT client ${client.id} refused (${refusalText[result.reason]}${username !== undefined ? `, user "${username}"` : ''})`)
            callback(Object.assign(new Error('not authorized'), { returnCode: CONNACK_NOT_AUTHORIZED }), false)
          },
          (err: Error) => {
            this.log.error('MQTT_AUTH_ERROR', `MQTT client ${client.id}: the password check failed: ${err.message}`)
            callback(Object.assign(new Error('not authorized'), { returnCode: CONNACK_NOT_AUTHORIZED }), false)
          }
        )
      },
      authorizeForward: (client, packet) => {
        if (packet.topic === DENIED_TOPIC) return null
        if (!auth.hasAcl || !client) return packet
        return auth.mayReceive(client.id, this.usernames.get(client), packet.topic) ? packet : null
      }
    }
  }

  /**
   * Aedes' authorizePublish: runs for every client PUBLISH (and every will message), in order of
   * arrival. Synchronous apart from the held callback; nothing here allocates a promise.
   */
  private onClientPublish(client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void {
    // Clients may not publish into $SYS: Aedes uses `$SYS/<id>/new/clients` to evict clients, so
    // accepting it would let any client disconnect any other. Aedes' own default rejects it the
    // same way (the client is disconnected; Mosquitto drops it silently instead).
    if (packet.topic.startsWith(SYS_PREFIX)) {
      const v5 = client?.version === 5
      this.log.warn('SYS_PUBLISH', `client ${client?.id ?? '(will)'} published to ${packet.topic}; $SYS is reserved, ${v5 ? 'publication refused (reason code 135)' : 'client disconnected'}`)
      // An MQTT 5 client gets a PUBACK/PUBREC with reason code 135 "not authorized" and keeps its
      // connection (Aedes' answer to a refused v5 publication, and Mosquitto's).
      callback(new Error('$SYS topics are reserved'))
      return
    }
    const auth = this.auth
    if (auth?.hasAcl && client && !auth.mayPublish(client.id, this.usernames.get(client), packet.topic)) {
      // Mosquitto drops a denied publication; an MQTT 5 client gets reason code 135 "not
      // authorized" in its PUBACK/PUBREC (Aedes does so for a refused v5 publication), a 3.1.1
      // client a plain acknowledgement (docs/compatibility/mqtt-broker.md §4).
      if (client.version === 5) {
        callback(new Error('not authorized'))
        return
      }
      packet.topic = DENIED_TOPIC
      packet.retain = false
      callback(null)
      return
    }
    this.messagesIn++
    const msg: MqttMessage = {
      topic: packet.topic,
      payload: toBuffer(packet.payload),
      qos: packet.qos,
      retain: packet.retain,
      origin: 'client'
    }
    if (client?.id) msg.clientId = client.id
    if (packet.qos === 0) {
      callIngress(this.ingress, msg, noop, this.log)
      callback(null)
      return
    }
    const generation = this.generation
    // done(err) still authorizes: a processing failure is the engine's, not the client's.
    const done = this.pending.hold(() => {
      if (generation === this.generation) callback(null)
    })
    callIngress(this.ingress, msg, done, this.log)
  }

  /**
   * A connection that failed before its CONNECT was accepted. Refusals of the auth hooks are
   * counted by the authorizer; a protocol level not served (mqtt-packet's "Invalid protocol
   * version", or Aedes' CONNACK 1) and a first packet that is no valid CONNECT are counted here,
   * so that the GUI shows them and not only the log.
   */
  private onConnectionError(err: Error): void {
    const message = err.message
    // A network error, a socket that never sent CONNECT, or a refusal already counted: no protocol refusal.
    if (typeof (err as Error & { code?: unknown }).code === 'string' || NOT_REFUSALS.has(message)) {
      this.log.debug('CONNECTION_ERROR', `MQTT connection closed before CONNECT completed: ${message}`)
      return
    }
    const reason = /protocol ?(version|id)/i.test(message) ? 'protocolVersion' : 'malformed'
    this.refusedConnects[reason]++
    this.log.info('MQTT_CONNECT_REFUSED', `MQTT connection refused: ${reason === 'protocolVersion' ? 'MQTT protocol version not served (3.1, 3.1.1 and 5 are)' : 'not a valid CONNECT'} (${message})`)
    this.emitStatus()
  }

  private clientsChanged(delta: number): void {
    this.clients = Math.max(0, this.clients + delta)
    this.emitStatus()
  }

  async publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): Promise<void> {
    const aedes = this.aedes
    if (!aedes || !this.up) throw new Error(`cannot publish to ${topic}: the embedded MQTT broker is not running`)
    const problem = topicNameProblem(topic)
    if (problem) throw new Error(`cannot publish: ${problem}`)
    const qos = opts.qos ?? 0
    const retain = opts.retain ?? false
    const buf = toBuffer(payload)
    this.messagesOut++
    const msg: MqttMessage = { topic, payload: buf, qos, retain, origin: 'engine' }
    if (opts.by !== undefined) msg.publisher = opts.by
    // Same order as a client's publication: the ingress first, delivery once it is done (at once
    // for QoS 0).
    if (qos === 0) {
      callIngress(this.ingress, msg, noop, this.log)
    } else {
      await new Promise<void>((resolve) => callIngress(this.ingress, msg, this.pending.hold(() => resolve()), this.log))
    }
    const packet: PublishPacket = { cmd: 'publish', topic, payload: buf, qos, retain, dup: false }
    await new Promise<void>((resolve, reject) => aedes.publish(packet, (err) => (err ? reject(err) : resolve())))
  }

  async subscribe(filter: string, handler: SubscriptionHandler): Promise<() => Promise<void>> {
    const aedes = this.aedes
    if (!aedes || !this.up) throw new Error(`cannot subscribe to ${filter}: the embedded MQTT broker is not running`)
    const problem = topicFilterProblem(filter)
    if (problem) throw new Error(`cannot subscribe: ${problem}`)
    // Aedes applies the `$` rule (a filter starting with a wildcard does not match `$SYS/...`)
    // to its clients' subscriptions only, not to in-process ones: apply it here.
    const wildcardFirst = filter.startsWith('+') || filter.startsWith('#')
    const deliver = (packet: AedesPublishPacket, cb: () => void): void => {
      if (!wildcardFirst || packet.topic.charCodeAt(0) !== DOLLAR) callSubscriber(handler, packet.topic, toBuffer(packet.payload), this.log)
      cb()
    }
    await new Promise<void>((resolve) => aedes.subscribe(filter, deliver, () => resolve()))
    let removed = false
    return async () => {
      if (removed) return
      removed = true
      if (aedes.closed) return
      await new Promise<void>((resolve) => aedes.unsubscribe(filter, deliver, () => resolve()))
    }
  }

  /**
   * What Aedes' persistence holds (aedes-persistence createRetainedStream: the stored packets whose
   * topic matches the pattern; its matcher gives `$` no special meaning, so `#` lists them all). Reading stops after
   * `limit` + 1 messages, so a large store is never read whole.
   */
  async retained(limit: number): Promise<RetainedSnapshot> {
    const aedes = this.aedes
    if (!aedes || !this.up) throw new Error('cannot list retained messages: the embedded MQTT broker is not running')
    const max = Math.min(limit, RETAINED_MAX)
    // Aedes' typings leave `persistence` out; the default one is aedes-persistence's memory store.
    const { persistence } = aedes as unknown as { persistence: { createRetainedStream(pattern: string): AsyncIterable<PublishPacket> } }
    const messages: RetainedMessage[] = []
    let more = false
    for await (const packet of persistence.createRetainedStream('#')) {
      if (messages.length >= max) {
        more = true
        break
      }
      const payload = toBuffer(packet.payload)
      messages.push({ topic: packet.topic, payload: Buffer.from(payload.subarray(0, RETAINED_PREVIEW_BYTES)), size: payload.length, qos: packet.qos })
    }
    return { source: 'broker', messages, more }
  }

  status(): BrokerStatus {
    const s: BrokerStatus = {
      kind: 'embedded',
      up: this.up,
      listeners: this.listeners.map((l) => ({ ...l })),
      clients: this.clients,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      reconnects: 0
    }
    s.auth = this.auth ? this.auth.status() : OPEN_BROKER
    s.refusedConnects = { ...this.refusedConnects }
    if (this.lastError !== undefined) s.lastError = this.lastError
    return s
  }

  protected async doStop(): Promise<void> {
    // A start() still binding must finish first, or its listeners would outlive stop().
    if (this.starting) await this.starting.catch(() => undefined)
    const aedes = this.aedes
    const net = this.net
    if (!aedes || !net) return
    const wasUp = this.up
    this.up = false
    net.stopAccepting()
    // Let the ingress finish what it holds, so those messages are acknowledged before their
    // connections close; what is still held after the grace is not acknowledged (the client
    // will send it again).
    const released = await this.pending.whenIdle(STOP_GRACE_MS)
    if (!released) this.log.warn('BROKER_STOP', `${this.pending.size} MQTT acknowledgements still held at shutdown; those messages were not acknowledged`)
    this.generation++
    // The acknowledgements just released sit in corked socket buffers until the next tick;
    // closing Aedes' clients before that would drop them.
    await new Promise<void>((resolve) => setImmediate(resolve))
    await settledWithin(new Promise<void>((resolve) => aedes.close(() => resolve())), STOP_GRACE_MS)
    await settledWithin(net.closeConnections(), STOP_GRACE_MS)
    this.auth?.close()
    this.clients = 0
    this.listeners = []
    if (wasUp) this.log.info('BROKER_STOPPED', 'embedded MQTT broker stopped')
    this.emitStatus()
  }
}

function noop(): void {}

/** Aedes' errors before CONNECT completes that are no refusal of the connection by the broker. */
const NOT_REFUSALS = new Set(['connect did not arrive in time', 'connection closed', 'not authorized', 'bad user name or password', 'keep alive timeout', 'drain timeout', 'write after end'])

/**
 * Aedes 2.0.0-beta.1 keys its clients, a client's subscriptions and its QoS 2 duplicates by ids and
 * topic filters from the wire in plain objects; a client id or filter such as `constructor` would
 * then read back an inherited member (a client connecting as `constructor` crashes the process).
 * Aedes 1.1.2 fixed it with null-prototype objects (advisory GHSA-52qw-whmv-87c5); the 2.0 beta
 * was cut before that fix, so the same objects are swapped here, before any packet is read.
 */
function nullPrototypeSessions(target: object): void {
  const maps = target as Record<string, unknown>
  for (const key of ['clients', 'brokers', 'subscriptions', 'duplicates']) {
    const current = maps[key]
    if (current && typeof current === 'object' && Object.getPrototypeOf(current) === Object.prototype && Object.keys(current).length === 0) {
      maps[key] = Object.create(null)
    }
  }
}

/** The authentication status of a broker that checks nobody (no files, anonymous clients allowed). */
const OPEN_BROKER: MqttAuthStatusDto = Object.freeze({
  enabled: false,
  allowAnonymous: true,
  problems: [],
  refused: { anonymous: 0, unknownUser: 0, badPassword: 0, noPasswordFile: 0 },
  denied: { publish: 0, deliver: 0 }
})

const refusalText = {
  anonymous: 'no user name; anonymous clients are not allowed',
  unknownUser: 'unknown user',
  badPassword: 'wrong or missing password',
  noPasswordFile: 'no password file to check the user against, and anonymous clients are not allowed'
} as const
