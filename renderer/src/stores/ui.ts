/** Which view is shown, what is selected across views, dialogs and toasts. */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { AgentKind } from '../../../shared/contract'

/** The History view comes last so that the keys of the views before it (the trainer's classroom: 8) stay as they were. */
export const VIEWS = ['overview', 'provisioning', 'device', 'inspector', 'simulator', 'settings', 'lessons', 'classroom', 'history'] as const
export type ViewName = (typeof VIEWS)[number]

export interface Toast {
  id: number
  kind: 'info' | 'success' | 'error'
  text: string
  action?: { label: string; run: () => void | Promise<void> }
  /** Milliseconds the toast stays; the action is offered that long. */
  timeoutMs: number
}

export interface DeviceRef {
  deviceId: string
  /** The agent whose registry holds it (ids are per agent); absent: the provisioning page's agent first. */
  agent?: AgentKind
}

/** An entity whose history is asked for (the device view's link). */
export interface HistoryRef {
  entityId: string
  entityType: string
}

/** Hand-off between views: e.g. the overview's hint opens the group form with the preset. */
export type Intent = { kind: 'new-group' | 'new-device'; preset: boolean; agent?: AgentKind } | null

export const useUi = defineStore('ui', () => {
  const view = ref<ViewName>('overview')
  const selectedDevice = ref<DeviceRef | null>(null)
  const historyEntity = ref<HistoryRef | null>(null)
  const helpOpen = ref(false)
  const logOpen = ref(false)
  const intent = shallowRef<Intent>(null)
  const toasts = ref<Toast[]>([])
  /** Views this page does not offer (classroom mode, stores/classroom.ts): not in the navigation, no key. */
  const hiddenViews = shallowRef<ReadonlySet<ViewName>>(new Set(['classroom']))
  /** The views offered, in the sidebar's order (keys 1, 2, … follow it). */
  const views = computed(() => VIEWS.filter((v) => !hiddenViews.value.has(v)))
  let nextId = 1

  function show(v: ViewName): void {
    if (hiddenViews.value.has(v)) return
    view.value = v
  }
  function hideViews(hidden: ReadonlySet<ViewName>): void {
    hiddenViews.value = hidden
    if (hidden.has(view.value)) view.value = 'overview'
  }
  function openDevice(deviceId: string, agent?: AgentKind): void {
    selectedDevice.value = agent ? { deviceId, agent } : { deviceId }
    view.value = 'device'
  }
  function openHistory(entity: HistoryRef): void {
    if (hiddenViews.value.has('history')) return
    historyEntity.value = { ...entity }
    view.value = 'history'
  }
  function toast(t: Omit<Toast, 'id' | 'timeoutMs'> & { timeoutMs?: number }): number {
    const id = nextId++
    const timeoutMs = t.timeoutMs ?? (t.action ? 8000 : t.kind === 'error' ? 8000 : 4000)
    toasts.value = [...toasts.value.slice(-4), { ...t, id, timeoutMs }]
    setTimeout(() => dismiss(id), timeoutMs)
    return id
  }
  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  return { view, selectedDevice, historyEntity, helpOpen, logOpen, intent, toasts, hiddenViews, views, show, hideViews, openDevice, openHistory, toast, dismiss }
})
