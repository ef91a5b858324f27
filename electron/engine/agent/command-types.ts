import type { MqttBroker } from '../broker/types'
import type { MqttPublishConfig } from '../config/types'
import type { ContextBrokerClient, Scope } from '../context/types'
import type { SourceLogger } from '../log/logger'
import type { Tracer } from '../trace/tracer'
import type { AgentProtocolCodec } from '../agent-protocol'
import type { DeviceResolver } from './device-resolver'
import type { RewriteUrl } from './http-command-push'
import type { PollingStore } from './polling-store'

/**
 * What the command side of an agent (commands.ts) is made of and tells: its dependencies, the
 * steps of a command's life it reports, and its counters.
 */

export type CommandStatus = 'PENDING' | 'OK' | 'ERROR'

/** A step of a command's life, for the GUI and the logs. */
export interface CommandEvent {
  scope: Scope
  entityId: string
  entityType: string
  deviceId: string
  command: string
  status: CommandStatus
  /** `<cmd>_info`: the device's result, `EXPIRED`, or the reason of an error. */
  info?: unknown
  /** Value sent to the device (PENDING only). */
  value?: unknown
  /** Milliseconds between sending and the device's answer (OK only). */
  rttMs?: number
  time: number
  /** The command's trace, when one is recorded (trace/tracer.ts). */
  traceId?: number
}

export interface CommandCenterDeps {
  resolver: DeviceResolver
  broker: MqttBroker
  context: ContextBrokerClient
  publish: MqttPublishConfig
  /** An unanswered command expires after this many ms; 0 = never. */
  timeoutMs: () => number
  /** Where polling commands are kept across restarts (the agent's `commands.db`); default: memory only. */
  pollingStore?: PollingStore
  logger: SourceLogger
  now?: () => number
  /** Records the hops of commands while someone watches traces. */
  tracer?: Tracer
  /** The agent's device protocol: how commands are written (MQTT, HTTP push, polling) and answers read; default UltraLight. */
  codec?: AgentProtocolCodec
  /** Where a push request to a device's endpoint really goes (the tutorial-host resolver); default: unchanged. */
  rewriteUrl?: RewriteUrl
}

export interface CommandStats {
  sent: number
  ok: number
  errors: number
  expired: number
  pending: number
  unknownCommand: number
  /** Commands waiting for their polling device (`getCmd=1`). */
  queued: number
}
