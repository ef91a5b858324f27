/**
 * Engine status: one small object replaced once a second by the `status` stream, plus rates
 * derived from two consecutive snapshots.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { EngineStatus } from '../../../shared/contract'
import { on, request } from '../services/engine'

export interface Rates {
  mqttIn: number
  mqttOut: number
  agentMessages: number
  measures: number
  rejected: number
  commands: number
}

const ZERO: Rates = { mqttIn: 0, mqttOut: 0, agentMessages: 0, measures: 0, rejected: 0, commands: 0 }

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)

export function ratesBetween(prev: EngineStatus, next: EngineStatus, dtMs: number): Rates {
  const dt = dtMs / 1000
  if (dt <= 0) return ZERO
  const per = (a: number, b: number): number => Math.max(0, (b - a) / dt)
  return {
    mqttIn: per(prev.mqtt.messagesIn, next.mqtt.messagesIn),
    mqttOut: per(prev.mqtt.messagesOut, next.mqtt.messagesOut),
    agentMessages: per(prev.agent.messages, next.agent.messages),
    measures: per(prev.agent.measures, next.agent.measures),
    rejected: per(sum(prev.agent.rejected), sum(next.agent.rejected)),
    commands: per(prev.agent.commands.sent, next.agent.commands.sent)
  }
}

export const useStatus = defineStore('status', () => {
  const status = shallowRef<EngineStatus | null>(null)
  const rates = shallowRef<Rates>(ZERO)
  const error = shallowRef<string>('')
  let lastAt = 0
  let started = false

  function accept(s: EngineStatus): void {
    const now = performance.now()
    if (status.value && lastAt) rates.value = ratesBetween(status.value, s, now - lastAt)
    status.value = s
    lastAt = now
  }

  async function refresh(): Promise<void> {
    try {
      accept(await request('engine.status', {}))
      error.value = ''
    } catch (err) {
      error.value = (err as { message: string }).message
    }
  }

  function start(): void {
    if (started) return
    started = true
    on('status', accept)
    void refresh()
  }

  return { status, rates, error, start, refresh }
})
