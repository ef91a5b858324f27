/**
 * The trainer's grid of trainees × lesson steps (docs/classroom.md): `classroom.grid` gives it
 * whole, then the `classroom` stream sends the rows that changed. Plain functions, no Vue.
 */
import type { ClassroomGridLessonDto, ClassroomGridRowDto } from '../../../shared/classroom'

/**
 * The rows after a batch of the stream: a row replaces the one of the same trainee id, a new
 * trainee is added. Rows stay in the order the trainees joined (then by name), so that a row does
 * not jump while the trainer reads the table. A later row of the same batch wins.
 */
export function mergeRows(rows: readonly ClassroomGridRowDto[], changed: readonly ClassroomGridRowDto[]): ClassroomGridRowDto[] {
  if (!changed.length) return [...rows]
  const byId = new Map<string, ClassroomGridRowDto>()
  for (const r of rows) byId.set(r.trainee.id, r)
  for (const r of changed) byId.set(r.trainee.id, r)
  return sortRows([...byId.values()])
}

export function sortRows(rows: ClassroomGridRowDto[]): ClassroomGridRowDto[] {
  return rows.sort((a, b) => a.trainee.joinedAt - b.trainee.joinedAt || a.trainee.name.localeCompare(b.trainee.name) || (a.trainee.id < b.trainee.id ? -1 : 1))
}

/** The lessons in their order (the grid's column groups). */
export function sortLessons(lessons: readonly ClassroomGridLessonDto[]): ClassroomGridLessonDto[] {
  return [...lessons].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
}

/** A step's state as the grid shows it; a step the row does not know (yet) is to do. */
export function stepState(row: ClassroomGridRowDto, lessonId: string, index: number): 'todo' | 'done' {
  return row.steps[lessonId]?.[index] === 'done' ? 'done' : 'todo'
}

/** Steps done of all the grid's steps, for one trainee. */
export function stepsDone(row: ClassroomGridRowDto, lessons: readonly ClassroomGridLessonDto[]): { done: number; total: number } {
  let done = 0
  let total = 0
  for (const lesson of lessons) {
    lesson.steps.forEach((_, i) => {
      total++
      if (stepState(row, lesson.id, i) === 'done') done++
    })
  }
  return { done, total }
}

/** How long ago, in a unit fit for reading: `42 s`, `3 min`, `2 h` (whole units, never negative). */
export function sinceText(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - thenMs) / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min`
  return `${Math.floor(s / 3600)} h`
}

/** Where a problem was seen, when the engine said: the lesson and the step's number (from 1). */
export function problemPlace(
  problem: { lessonId?: string; stepId?: string },
  lessons: readonly ClassroomGridLessonDto[]
): { lesson: ClassroomGridLessonDto; step?: number } | null {
  if (problem.lessonId === undefined) return null
  const lesson = lessons.find((l) => l.id === problem.lessonId)
  if (!lesson) return null
  const i = problem.stepId === undefined ? -1 : lesson.steps.findIndex((s) => s.id === problem.stepId)
  return i >= 0 ? { lesson, step: i + 1 } : { lesson }
}
