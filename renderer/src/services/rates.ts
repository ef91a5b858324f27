/**
 * Rates of the engine's counters over a sliding window of status snapshots. One snapshot a
 * second gives rates of 0 or 1 for slow traffic (0.2 messages/s would read "0/s" four seconds in
 * five); over the last ten seconds the same traffic reads 0.2/s.
 */
import type { EngineStatus } from '../../../shared/contract'

export interface Rates {
  /** Every message the broker side saw (the inspector's count). */
  messages: number
  mqttIn: number
  mqttOut: number
  /** The UltraLight agent's. */
  agentMessages: number
  measures: number
  /** The IoT Agent JSON's. */
  jsonAgentMessages: number
  jsonMeasures: number
  /** Both agents'. */
  rejected: number
  commands: number
}

export const ZERO_RATES: Rates = { messages: 0, mqttIn: 0, mqttOut: 0, agentMessages: 0, measures: 0, jsonAgentMessages: 0, jsonMeasures: 0, rejected: 0, commands: 0 }

/** How far back rates look. */
export const RATE_WINDOW_MS = 10_000

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)

/** The counters rates are derived from. */
export function countersOf(s: EngineStatus): Rates {
  return {
    messages: s.inspector.messages,
    mqttIn: s.mqtt.messagesIn,
    mqttOut: s.mqtt.messagesOut,
    agentMessages: s.agent.messages,
    measures: s.agent.measures,
    jsonAgentMessages: s.jsonAgent.messages,
    jsonMeasures: s.jsonAgent.measures,
    rejected: sum(s.agent.rejected) + sum(s.jsonAgent.rejected),
    commands: s.agent.commands.sent + s.jsonAgent.commands.sent
  }
}

/** Per-second rates between two readings of the counters taken `dtMs` apart (never negative). */
export function ratesBetween(prev: Rates, next: Rates, dtMs: number): Rates {
  const dt = dtMs / 1000
  if (dt <= 0) return ZERO_RATES
  const out = { ...ZERO_RATES }
  for (const k of Object.keys(out) as Array<keyof Rates>) out[k] = Math.max(0, (next[k] - prev[k]) / dt)
  return out
}

/** The snapshots of the last RATE_WINDOW_MS; `reset` when the counters start again (a new engine). */
export class RateWindow {
  private samples: Array<{ at: number; c: Rates }> = []

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Adds a reading taken at `at` (ms, monotonic) and returns the rates over the window. */
  add(at: number, c: Rates): Rates {
    this.samples.push({ at, c })
    // Keep the newest sample at or before the window's start, so the window is covered whole.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift()
    const first = this.samples[0]!
    return this.samples.length < 2 ? ZERO_RATES : ratesBetween(first.c, c, at - first.at)
  }

  reset(): void {
    this.samples = []
  }
}
