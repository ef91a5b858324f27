import type { SourceLogger } from '../log/logger'
import type { CommandDef } from '../registry/types'
import type { HopData } from '../../../shared/trace'
import { safeHeaders } from '../trace/frames'
import { excerpt, type Tracer } from '../trace/tracer'
import type { AgentProtocolCodec, DecodedCommandResult } from '../agent-protocol'
import { commandPushHeaders } from './command-headers'
import type { EffectiveDevice } from './effective-device'
import { IDENTITY_URL, pushCommand, type PushResult, type RewriteUrl } from './http-command-push'

/** Commands pushed to HTTP devices and not answered yet, at most (memory stays bounded). */
export const MAX_PUSHES_IN_FLIGHT = 1000

/** Characters Orion refuses in attribute values (docs/compatibility/ngsi-v2.md). */
export const FORBIDDEN_IN_VALUES = /[<>"'=;()]/g

/** The command a push belongs to, as the command tracker holds it. */
export interface PushTicket {
  readonly trace: number | undefined
}

/** How a push settles its command; the command tracker (commands.ts) owns the statuses. */
export interface PushSettler {
  /** Whether `ticket` is still the command waiting under `key` (a newer command of the same name replaces it). */
  isCurrent(key: string, ticket: PushTicket): boolean
  /** The device answered `command` with `result` (`_status` OK). */
  result(dev: EffectiveDevice, command: string, result: unknown): void
  /** The command ends `ERROR` with `reason` in `_info`. */
  fail(dev: EffectiveDevice, command: string, key: string, reason: string): void
  /** The answer named no command: the command expires as an unanswered MQTT command does. */
  expireLater(dev: EffectiveDevice, command: string, key: string): void
}

export interface CommandPushDeps {
  codec: AgentProtocolCodec
  tracer: Tracer
  logger: SourceLogger
  /** The request's timeout in ms; 0 = none. */
  timeoutMs: () => number
  /** Where a push request to a device's endpoint really goes (the tutorial-host resolver); default: unchanged. */
  rewriteUrl?: RewriteUrl
  settle: PushSettler
}

/**
 * Commands POSTed to the endpoint of an HTTP device (docs/compatibility/iot-agent-ul.md §5.7,
 * iot-agent-json.md §4.5): the request with the agent's body and headers (command-headers.ts), the
 * `device-request` trace hop, and the reading of the device's answer. At most MAX_PUSHES_IN_FLIGHT
 * requests are open; close() aborts them.
 */
export class CommandPush {
  /** Push requests in flight, aborted on close. */
  private readonly inFlight = new Set<AbortController>()

  constructor(private readonly deps: CommandPushDeps) {}

  close(): void {
    for (const c of this.inFlight) c.abort()
    this.inFlight.clear()
  }

  /** POSTs the command to the device's endpoint; its answer (or the failure) settles the command. */
  push(dev: EffectiveDevice, cmd: CommandDef, endpoint: string, body: string | Buffer, key: string, ticket: PushTicket): void {
    const command = cmd.name
    if (this.inFlight.size >= MAX_PUSHES_IN_FLIGHT) {
      return this.deps.settle.fail(dev, command, key, `There was an error in the response of a device to a command []:${MAX_PUSHES_IN_FLIGHT} commands are already waiting for their devices to answer`)
    }
    const { codec } = this.deps
    const built = commandPushHeaders(dev, cmd, codec.commandContentType, codec.commandOwnHeaders)
    // As the reference's HTTP client, a header it cannot write stops the request before it is sent.
    if (!built.ok) return this.failure(dev, command, key, '', built.reason)
    const headers = built.headers
    const trace = ticket.trace
    const abort = new AbortController()
    this.inFlight.add(abort)
    void pushCommand({ endpoint, body, headers, timeoutMs: this.deps.timeoutMs(), signal: abort.signal }, this.deps.rewriteUrl ?? IDENTITY_URL)
      .then((r) => {
        if (abort.signal.aborted) return
        if (trace !== undefined) this.deps.tracer.hop(trace, this.pushHop(dev, command, body, headers, r))
        // A newer command of the same name replaced this one: its answer is not this command's.
        if (this.deps.settle.isCurrent(key, ticket)) this.onPushed(dev, command, key, r)
      })
      .catch((err: Error) => this.deps.logger.error('COMMAND_PUSH', `command ${command} of ${dev.deviceId}: ${err.message}`))
      .finally(() => this.inFlight.delete(abort))
  }

  private pushHop(dev: EffectiveDevice, command: string, body: string | Buffer, headers: Record<string, string>, r: PushResult): HopData {
    // The headers sent, without credentials a command header may carry (trace/frames.ts).
    const request = { method: 'POST', url: r.url, headers: safeHeaders(headers), body: excerpt(typeof body === 'string' ? body : body.toString('utf8')), bodyBytes: Buffer.byteLength(body) }
    const hop: Extract<HopData, { step: 'device-request' }> = { step: 'device-request', deviceId: dev.deviceId, command, request, latencyMs: r.latencyMs }
    if (r.status !== undefined) hop.status = r.status
    if (r.body !== undefined) hop.answer = excerpt(r.body)
    if (r.error !== undefined) hop.error = r.error
    if (r.via !== undefined) hop.via = r.via
    return hop
  }

  /** `ERROR` in the reference's words, without the characters the context broker forbids in values (an HTML error page, a quoted name). */
  private failure(dev: EffectiveDevice, command: string, key: string, code: string, why: string): void {
    this.deps.settle.fail(dev, command, key, `There was an error in the response of a device to a command [${code}]:${why.replace(FORBIDDEN_IN_VALUES, '')}`)
  }

  /**
   * A device's HTTP answer (docs/compatibility/iot-agent-ul.md §5.7, iot-agent-json.md §4.5): a 2xx
   * body (`<id>@<cmd>|<result>`, `{"<cmd>": <result>}`) gives the results of the commands it names;
   * anything else is `ERROR` with the reference's reason. An answer that names no command leaves the
   * command to expire like an unanswered MQTT command.
   */
  private onPushed(dev: EffectiveDevice, command: string, key: string, r: PushResult): void {
    if (r.error !== undefined || r.status === undefined) return this.failure(dev, command, key, '', r.error ?? 'no answer')
    const body = r.body ?? ''
    let decoded: DecodedCommandResult[] | undefined
    try {
      decoded = this.deps.codec.decodeCommandAnswer(body)
    } catch {
      decoded = undefined
    }
    const status = String(r.status)
    if (r.status < 200 || r.status > 299) return this.failure(dev, command, key, status, decoded?.length === 1 ? resultText(decoded[0]!.result) : body)
    if (decoded === undefined) return this.failure(dev, command, key, status, `the answer ${JSON.stringify(body.slice(0, 200))} is not a command result`)
    if (decoded.length === 0) return this.deps.settle.expireLater(dev, command, key)
    let answered = false
    for (const d of decoded) {
      // As the references, the answer updates each command it names.
      if (d.command === command) answered = true
      this.deps.settle.result(dev, d.command, d.result)
    }
    if (!answered) this.failure(dev, command, key, status, `the device answered command "${decoded.map((d) => d.command).join('", "')}" instead of "${command}"`)
  }
}

/** A device's result as text for an error reason (the UltraLight result is text already). */
function resultText(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result) ?? ''
}
