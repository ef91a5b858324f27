/**
 * Guided lessons (docs/lessons.md): the list with each lesson's progress, the lesson open in the
 * view (its steps, where it runs, its progress) and what "show me" sent for its steps. Progress
 * arrives on the `lessons` stream; after missed events or an engine restart both are asked again.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { Lesson, LessonContextDto, LessonProgressDto, LessonSummaryDto, ShowMeActionDto } from '../../../shared/contract'
import { missed, on, onResync, request } from '../services/engine'
import { loadJson, saveJson } from '../services/storage'
import { onEngineRestart } from './status'

export interface OpenLesson {
  lesson: Lesson
  context: LessonContextDto
  progress: LessonProgressDto
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64

const doneCount = (p: LessonProgressDto): number => p.steps.filter((s) => s.state === 'done').length

export const useLessons = defineStore('lessons', () => {
  const lessons = shallowRef<LessonSummaryDto[]>([])
  /** Problems of lesson files that could not be loaded (for trainers). */
  const errors = shallowRef<string[]>([])
  const loaded = shallowRef(false)
  const listError = shallowRef<unknown>(null)
  /** The lesson chosen last, remembered between sessions. */
  const selectedId = shallowRef<string | null>(loadJson('lesson', null, (v): v is string | null => v === null || isId(v)))
  const open = shallowRef<OpenLesson | null>(null)
  const openError = shallowRef<unknown>(null)
  /** What "show me" sent, by step id, for the open lesson. */
  const shown = shallowRef<Record<string, ShowMeActionDto[]>>({})
  let started = false
  let openSeq = 0

  function applyProgress(list: readonly LessonProgressDto[]): void {
    if (!list.length) return
    const cur = open.value
    const mine = cur ? list.filter((p) => p.lessonId === cur.lesson.id).at(-1) : undefined
    if (cur && mine) open.value = { ...cur, progress: mine }
    const byId = new Map(list.map((p) => [p.lessonId, p]))
    if (lessons.value.some((l) => byId.has(l.id))) {
      lessons.value = lessons.value.map((l) => {
        const p = byId.get(l.id)
        return p ? { ...l, done: doneCount(p) } : l
      })
    }
  }

  async function refreshList(): Promise<void> {
    try {
      const r = await request('lessons.list', {})
      lessons.value = r.lessons
      errors.value = r.errors
      listError.value = null
    } catch (err) {
      listError.value = err
    } finally {
      loaded.value = true
    }
  }

  /** Opens a lesson (the engine starts watching its checks) and remembers it as the last one. */
  async function select(id: string): Promise<void> {
    const seq = ++openSeq
    if (selectedId.value !== id) {
      selectedId.value = id
      saveJson('lesson', id)
      open.value = null
      shown.value = {}
    }
    try {
      const r = await request('lessons.get', { id })
      if (seq !== openSeq) return
      open.value = r
      openError.value = null
    } catch (err) {
      if (seq === openSeq) openError.value = err
    }
  }

  async function refresh(): Promise<void> {
    await refreshList()
    const id = selectedId.value ?? lessons.value[0]?.id
    if (id && lessons.value.some((l) => l.id === id)) await select(id)
    else if (lessons.value[0]) await select(lessons.value[0].id)
  }

  function start(): void {
    if (started) return
    started = true
    on('lessons', applyProgress)
    onResync((streams) => {
      if (missed(streams, 'lessons')) void refresh()
    })
    // A new engine has its own progress and watches nothing yet: open the lesson again.
    onEngineRestart(() => void refresh())
    void refresh()
  }

  async function reset(id: string): Promise<void> {
    const r = await request('lessons.reset', { id })
    shown.value = {}
    applyProgress([r.progress])
  }

  async function showMe(id: string, stepId: string): Promise<void> {
    const r = await request('lessons.showMe', { id, stepId })
    if (open.value?.lesson.id === id) shown.value = { ...shown.value, [stepId]: r.actions }
    applyProgress([r.progress])
  }

  return { lessons, errors, loaded, listError, selectedId, open, openError, shown, start, refresh, select, reset, showMe }
})
