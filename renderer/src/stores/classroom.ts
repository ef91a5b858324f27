/**
 * Classroom mode (docs/classroom.md): who this page is and, for the trainer, the class's grid.
 *
 * - A trainee is known before the engine answers (the page joined as one): the views a trainee
 *   may not use are hidden at once, the tenant is fixed to the trainee's own.
 * - Anyone else asks `classroom.whoami` once connected: the trainer gets the Classroom view, the
 *   only user of the desktop app or of plain `serve` sees the GUI unchanged.
 * - The trainer's grid: `classroom.grid` whole, then the rows the `classroom` stream says changed.
 */
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { ClassroomGridLessonDto, ClassroomGridRowDto, ClassroomRoleDto, TraineeDto } from '../../../shared/contract'
import { mergeRows, sortLessons, sortRows } from '../services/classroom-grid'
import { missed, on, onResync, request, traineeSession } from '../services/engine'
import { usePrefs } from './prefs'
import { useUi, type ViewName } from './ui'

/** What a trainee cannot use: the server refuses their requests and streams (docs/classroom.md). */
const TRAINEE_HIDDEN: ReadonlySet<ViewName> = new Set(['inspector', 'settings', 'classroom'])
const SINGLE_HIDDEN: ReadonlySet<ViewName> = new Set(['classroom'])
const TRAINER_HIDDEN: ReadonlySet<ViewName> = new Set()

/** True when this page is a trainee's: no inspector, trace, log or settings. */
export const isTraineePage = traineeSession !== null

export const useClassroom = defineStore('classroom', () => {
  const ui = useUi()
  const prefs = usePrefs()
  /** null until the engine said (a trainee's page knows it from the start). */
  const role = shallowRef<ClassroomRoleDto | null>(traineeSession ? { role: 'trainee', trainee: traineeSession.trainee } : null)
  const lessons = shallowRef<ClassroomGridLessonDto[]>([])
  const rows = shallowRef<ClassroomGridRowDto[]>([])
  const gridLoaded = shallowRef(false)
  const gridError = shallowRef('')
  let started = false
  let gridStarted = false

  const trainee = computed<TraineeDto | null>(() => (role.value?.role === 'trainee' ? role.value.trainee : null))
  const trainer = computed(() => (role.value?.role === 'trainer' ? role.value : null))
  /** Trainees that joined: the grid's rows once loaded, else what whoami said. */
  const joined = computed(() => (gridLoaded.value ? rows.value.length : (trainer.value?.trainees ?? 0)))

  function apply(r: ClassroomRoleDto): void {
    role.value = r
    if (r.role === 'trainee') {
      ui.hideViews(TRAINEE_HIDDEN)
      prefs.lockService(r.trainee.service)
    } else if (r.role === 'trainer') {
      ui.hideViews(TRAINER_HIDDEN)
      startGrid()
    } else ui.hideViews(SINGLE_HIDDEN)
  }

  async function whoami(): Promise<void> {
    try {
      apply(await request('classroom.whoami', {}))
    } catch {
      // An engine without classroom mode answers nothing useful: this page is its only user.
      if (!traineeSession) apply({ role: 'single' })
    }
  }

  function start(): void {
    if (started) return
    started = true
    if (traineeSession) apply({ role: 'trainee', trainee: traineeSession.trainee })
    void whoami()
    // After a reconnection the server may be another run (`serve` started again).
    onResync((streams) => {
      if (streams === 'all') void whoami()
      if (gridStarted && missed(streams, 'classroom')) void loadGrid()
    })
  }

  async function loadGrid(): Promise<void> {
    try {
      const grid = await request('classroom.grid', {})
      lessons.value = sortLessons(grid.lessons)
      rows.value = sortRows([...grid.rows])
      gridLoaded.value = true
      gridError.value = ''
    } catch (err) {
      gridError.value = (err as { message?: string }).message ?? String(err)
    }
  }

  function startGrid(): void {
    if (gridStarted) return
    gridStarted = true
    on('classroom', (changed) => {
      rows.value = mergeRows(rows.value, changed)
    })
    void loadGrid()
  }

  return { role, trainee, trainer, joined, lessons, rows, gridLoaded, gridError, start, loadGrid }
})
