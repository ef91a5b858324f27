/**
 * The lifecycle of the commands sent from the GUI (and of any command the engine reports):
 * PENDING → OK / ERROR / EXPIRED, with the device's `_info` answer and the round-trip time.
 * Commands are few, so this state is ordinary reactive state.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiErrorDto, CommandEventDto } from '../../../shared/contract'
import { on, request } from '../services/engine'
import { isRemembered, MAX_REMEMBERED, recall, remember, type Remembered } from '../services/remembered-values'
import { loadJson, saveJson } from '../services/storage'
import type { Scope } from './prefs'

export type CommandPhase = 'SENDING' | 'PENDING' | 'OK' | 'ERROR' | 'EXPIRED' | 'FAILED'

export interface CommandState {
  phase: CommandPhase
  value?: unknown
  info?: unknown
  rttMs?: number
  /** When the GUI sent it (ms since the epoch). */
  sentAt?: number
  updatedAt: number
  /** The request's error when the context broker or the agent refused the command. */
  error?: ApiErrorDto
}

export const commandKey = (scope: Scope, entityId: string, command: string): string => `${scope.service}|${scope.servicePath}|${entityId}|${command}`

export function phaseOf(e: Pick<CommandEventDto, 'status' | 'info'>): CommandPhase {
  if (e.status === 'ERROR' && e.info === 'EXPIRED') return 'EXPIRED'
  return e.status
}

export const useCommands = defineStore('commands', () => {
  const states = ref<Record<string, CommandState>>({})
  /** The last value sent with each command (per service, service path, entity and command), kept between sessions. */
  let lastValues: Remembered = loadJson('commandValues', [], isRemembered).slice(-MAX_REMEMBERED)
  let started = false

  function lastValue(scope: Scope, entityId: string, command: string): string | undefined {
    return recall(lastValues, commandKey(scope, entityId, command))
  }

  function start(): void {
    if (started) return
    started = true
    on('commands', (events) => {
      const next = { ...states.value }
      for (const e of events) {
        const key = commandKey({ service: e.service, servicePath: e.servicePath }, e.entityId, e.command)
        const prev = next[key]
        next[key] = {
          ...prev,
          phase: phaseOf(e),
          info: e.status === 'PENDING' ? undefined : e.info,
          rttMs: e.rttMs ?? (e.status !== 'PENDING' && prev?.sentAt ? e.time - prev.sentAt : undefined),
          updatedAt: e.time,
          error: undefined
        }
      }
      states.value = next
    })
  }

  async function send(scope: Scope, entityId: string, entityType: string, command: string, value: unknown): Promise<void> {
    const key = commandKey(scope, entityId, command)
    if (typeof value === 'string') {
      lastValues = remember(lastValues, key, value)
      saveJson('commandValues', lastValues)
    }
    states.value = { ...states.value, [key]: { phase: 'SENDING', value, sentAt: Date.now(), updatedAt: Date.now() } }
    try {
      await request('commands.send', { scope, entityId, entityType, command, value })
      const cur = states.value[key]
      if (cur?.phase === 'SENDING') states.value = { ...states.value, [key]: { ...cur, phase: 'PENDING' } }
    } catch (err) {
      states.value = { ...states.value, [key]: { phase: 'FAILED', value, updatedAt: Date.now(), error: err as ApiErrorDto } }
    }
  }

  return { states, start, send, lastValue }
})
