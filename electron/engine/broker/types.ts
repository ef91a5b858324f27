import type { QoS } from '../config/types'
import type { MqttAuthStatusDto, MqttRefusedConnectsDto } from '../../../shared/status'

/** Where a message entered the engine. */
export type MessageOrigin =
  /** published by an MQTT client connected to the embedded broker */
  | 'client'
  /** published by the engine itself (agent commands, simulator, GUI publish panel) */
  | 'engine'
  /** received from an external broker through the engine's subscriptions */
  | 'remote'

export interface MqttMessage {
  topic: string
  payload: Buffer
  qos: QoS
  retain: boolean
  origin: MessageOrigin
  /** MQTT client id of the publisher, when known (embedded broker only). */
  clientId?: string
  /** Origin 'engine': which part of the engine published it (PublishOptions.by). */
  publisher?: EnginePublisher
}

/** The parts of the engine that publish: the agent (commands, configuration values), the simulator, the GUI. */
export type EnginePublisher = 'agent-command' | 'agent-configuration' | 'simulator' | 'gui'

/**
 * The one tap every message passes through, in order of arrival: the agent's ingestion and the
 * topic inspector hang off it. It is called synchronously; `done` must be called exactly once,
 * when the message's effects are durable. For QoS 1 and 2 publications of a client, the broker
 * holds the acknowledgement (PUBACK / PUBREC) until then, so an acknowledged message is never lost.
 * `done(err)` with an error still acknowledges (the message is accepted but its processing failed
 * and was counted); it never disconnects the client.
 */
export type IngressHandler = (msg: MqttMessage, done: (err?: Error) => void) => void

export interface PublishOptions {
  qos?: QoS
  retain?: boolean
  /** Which part of the engine publishes (shown by the topic inspector as the message's origin). */
  by?: EnginePublisher
}

/** Handler of an internal subscription (simulated devices, tests). */
export type SubscriptionHandler = (topic: string, payload: Buffer) => void

/** A retained message, as the broker holds it or as the engine saw it (payload cut to RETAINED_PREVIEW_BYTES). */
export interface RetainedMessage {
  topic: string
  /** The first RETAINED_PREVIEW_BYTES bytes of the payload. */
  payload: Buffer
  /** Bytes of the whole payload. */
  size: number
  qos: QoS
  /** External: when the engine's client saw it (ms since the epoch). */
  seenAt?: number
}

/**
 * The retained messages of `retained()`. `source` says what they are: 'broker', what the embedded
 * broker holds (its whole store); 'seen', what the engine's client of an external broker received
 * with the retain flag or published retained itself (a broker only sends stored retained messages
 * to a new subscription, MQTT 3.1.1 §3.3.1.3, so others may exist that it never saw).
 */
export interface RetainedSnapshot {
  source: 'broker' | 'seen'
  messages: RetainedMessage[]
  /** More retained messages exist than `messages` holds (the limit, or the engine's bound on what it remembers). */
  more: boolean
}

/** Payload bytes kept per retained message listed. */
export const RETAINED_PREVIEW_BYTES = 1024
/** Most retained messages listed, and most the external client remembers. */
export const RETAINED_MAX = 1000

export interface BrokerListener {
  /** mqtts and wss: the TLS listeners (--mqtt-tls-port, --mqtt-wss-port). */
  protocol: 'mqtt' | 'ws' | 'mqtts' | 'wss'
  host: string
  port: number
}

export interface BrokerStatus {
  kind: 'embedded' | 'external'
  /** embedded: listeners are bound; external: the client is connected. */
  up: boolean
  /** Embedded: where the broker listens. */
  listeners: BrokerListener[]
  /** External: the broker URL (without credentials). */
  url?: string
  /** Embedded: MQTT clients currently connected. */
  clients: number
  /** Messages received (client publications or remote deliveries). */
  messagesIn: number
  /** Messages published by the engine. */
  messagesOut: number
  /** Human-readable cause of the last connection or listener problem. */
  lastError?: string
  /** When `lastError` happened (ms since the epoch). */
  lastErrorAt?: number
  /** External: since when the client is connected (ms since the epoch), while it is. */
  connectedSince?: number
  /** External: reconnection attempts since the last successful connection. */
  reconnects: number
  /** Embedded: authentication and ACLs (see MqttAuthStatusDto). */
  auth?: MqttAuthStatusDto
  /** Embedded: connections refused before authentication (see MqttRefusedConnectsDto). */
  refusedConnects?: MqttRefusedConnectsDto
}

/**
 * The MQTT side of the engine. Two implementations: the embedded Aedes broker (TCP and WebSocket
 * listeners) and a client of an external broker (mqtt.js). The agent, the inspector and the
 * simulator only ever see this interface.
 */
export interface MqttBroker {
  readonly kind: 'embedded' | 'external'

  /** Installs the ingress handler. Must be called before start(). */
  setIngress(handler: IngressHandler): void

  /**
   * Embedded: binds the listeners. External: connects and subscribes to the agent's topic
   * filters; resolves once connected (rejects with a clear error if the first attempt fails),
   * then keeps reconnecting on its own.
   */
  start(): Promise<void>

  /** Closes listeners/connections. Pending acknowledgements are released first. */
  stop(): Promise<void>

  /**
   * Publishes a message as the engine. The message passes through the ingress handler
   * (origin 'engine') before it is delivered, so the inspector sees it. The ingress runs
   * synchronously within this call, before it returns its promise (the GUI's publish reads what
   * the agent did with the message right after the call).
   */
  publish(topic: string, payload: string | Buffer, opts?: PublishOptions): Promise<void>

  /**
   * Internal subscription with an MQTT topic filter (`+`, `#`). External: also subscribes on the
   * remote broker. Returns a function that removes it.
   */
  subscribe(filter: string, handler: SubscriptionHandler): Promise<() => Promise<void>>

  status(): BrokerStatus

  /** At most `limit` (≤ RETAINED_MAX) retained messages, in no particular order; see RetainedSnapshot. */
  retained(limit: number): Promise<RetainedSnapshot>

  /** Called whenever status() changes in a way a GUI would show (up/down, clients, errors). */
  onStatus(listener: (status: BrokerStatus) => void): () => void
}

/**
 * The topic filters of the agents (docs/compatibility/iot-agent-ul.md §3.1, iot-agent-json.md §3.1): attrs, single
 * attribute, cmdexe and configuration/commands, with and without the leading slash and the `ul/` or `json/` prefix.
 */
export const AGENT_TOPIC_FILTERS: readonly string[] = (() => {
  const tails = ['+/+/attrs/+', '+/+/attrs', '+/+/configuration/commands', '+/+/cmdexe']
  const out: string[] = []
  for (const tail of tails) for (const prefix of ['/', '', '/ul/', 'ul/', '/json/', 'json/']) out.push(prefix + tail)
  return out
})()
