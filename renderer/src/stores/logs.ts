/** The engine's log for the drawer: a bounded plain array and a version counter. */
import { defineStore } from 'pinia'
import { markRaw, shallowRef } from 'vue'
import type { LogEntryDto } from '../../../shared/contract'
import { on, request } from '../services/engine'

export const LOG_KEEP = 2000

export const useLogs = defineStore('logs', () => {
  const entries = markRaw<LogEntryDto[]>([])
  const version = shallowRef(0)
  /** Warnings and errors that arrived while the drawer was closed. */
  const unseen = shallowRef(0)
  let started = false
  let open = false

  function add(list: LogEntryDto[]): void {
    entries.push(...list)
    if (entries.length > LOG_KEEP * 1.25) entries.splice(0, entries.length - LOG_KEEP)
    if (!open) unseen.value += list.filter((e) => e.level === 'WARN' || e.level === 'ERROR' || e.level === 'FATAL').length
    version.value++
  }

  function start(): void {
    if (started) return
    started = true
    on('logs', add)
    request('logs.recent', {})
      .then((recent) => {
        const newest = entries[0]?.time ?? Infinity
        entries.unshift(...recent.filter((e) => e.time < newest))
        version.value++
      })
      .catch(() => {})
  }

  function setOpen(o: boolean): void {
    open = o
    if (o) unseen.value = 0
  }

  return { entries, version, unseen, start, setOpen }
})
