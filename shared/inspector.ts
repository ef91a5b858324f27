/**
 * The topic inspector's part of the engine–GUI contract (shared/contract.ts re-exports it): the
 * messages the inspector keeps, in words of hop, origin and verdict; retained messages; the
 * result of a publication from the GUI; the batches of the `inspector` stream.
 */

export interface InspectorMessageDto {
  seq: number
  time: number
  topic: string
  /** UTF-8 text of the kept payload. */
  payload: string
  /** Bytes of the whole payload (larger than the kept part when truncated is true). */
  size: number
  truncated: boolean
  qos: 0 | 1 | 2
  retain: boolean
  origin: 'client' | 'engine' | 'remote'
  clientId?: string
  /** What the agent did; `protocol`: which agent handled the message (UltraLight or JSON). */
  agent: null | { protocol?: 'ul' | 'json'; kind: string; deviceId: string; entityId?: string; attributes?: string[]; error?: string; message?: string }
  /** The message's trace (`trace.get`), when it was recorded. */
  traceId?: number
  /** Who published it (the engine always sets it). */
  source?: InspectorSourceDto
  /** The leg of the journey it is on (the engine always sets it). */
  hop?: InspectorHopDto
  /** What became of it (the engine always sets it). */
  verdict?: InspectorVerdictDto
  /** Marks shown next to the message, in this order: autoprovisioned, unprovisioned, json. */
  badges?: InspectorBadgeDto[]
}

/** One retained message: its topic, the start of its payload (UTF-8 text) and its size. */
export interface RetainedMessageDto {
  topic: string
  /** UTF-8 text of the first bytes of the payload (a preview). */
  payload: string
  /** Bytes of the whole payload. */
  size: number
  /** The payload is longer than the preview. */
  truncated: boolean
  qos: 0 | 1 | 2
  /** source 'seen': when the engine saw it (ms since the epoch). */
  seenAt?: number
}

/**
 * `inspector.retained`. source 'broker': what the embedded broker holds; 'seen': the retained
 * messages the engine's client of an external broker has seen (the broker may hold others).
 */
export interface RetainedListDto {
  source: 'broker' | 'seen'
  messages: RetainedMessageDto[]
  /** More exist than listed (the limit, or the engine's bound on what it remembers). */
  more: boolean
}

/**
 * Who published an inspected message: a device (an MQTT client on an agent topic), the agent (a
 * command on `/cmd`, configuration values), a simulated device, the GUI's publish panel, another
 * MQTT client (a topic the agent does not read), or another part of the engine.
 */
export type InspectorSourceDto = 'device' | 'agent-command' | 'agent-configuration' | 'simulator' | 'gui' | 'external-client' | 'agent-other'

/** The leg: a device's message to the broker, the agent's message to a device, another client's or the engine's publication. */
export type InspectorHopDto = 'device→broker' | 'agent→device' | 'client→broker' | 'engine→broker'

/**
 * accepted / rejected: a message on an agent topic, taken or refused by the agent (`agent.error`
 * says why); published-by-agent: the agent's own publication; not-for-agent: a topic the agent
 * does not read.
 */
export type InspectorVerdictDto = 'accepted' | 'rejected' | 'published-by-agent' | 'not-for-agent'

/**
 * autoprovisioned: the device was created by this message or earlier by autoprovisioning;
 * unprovisioned: no device for it and none can be created (no group for its API key, or a group
 * without autoprovisioning); json: the payload is a JSON object or array.
 */
export type InspectorBadgeDto = 'autoprovisioned' | 'unprovisioned' | 'json'

/** What `mqtt.publish` did: on an agent topic, whether the agent accepted the message (and why not). */
export interface MqttPublishResultDto {
  /** The message's sequence number in the inspector. */
  seq?: number
  verdict: InspectorVerdictDto
  /** The agent's error code when rejected (NO_GROUP, PARSE_ERROR, …). */
  error?: string
  /** The agent's explanation when rejected. */
  message?: string
}

export interface InspectorBatchDto {
  /** New messages since the previous batch, oldest first; at most a few hundred per batch. */
  messages: InspectorMessageDto[]
  /** Messages that arrived in this period but are not in `messages` (still in the engine's ring, fetch with inspector.messages). */
  skipped: number
  stats: { messages: number; rate: number; buffered: number; bufferedBytes: number; topics: number }
}
