import { describe, expect, it } from 'vitest'
import type { ClassroomGridLessonDto, ClassroomGridRowDto } from '../../../shared/classroom'
import { mergeRows, problemPlace, sinceText, sortLessons, stepState, stepsDone } from '../../../renderer/src/services/classroom-grid'

const text = (en: string) => ({ en, 'pt-BR': `${en} (pt)` })
const lessons: ClassroomGridLessonDto[] = [
  { id: 'first-device', order: 2, title: text('First device'), steps: [{ id: 'group', goal: text('Create the group') }, { id: 'device', goal: text('Create the device') }] },
  { id: 'measures', order: 3, title: text('Measures'), steps: [{ id: 'send', goal: text('Send a measure') }] },
  { id: 'stack', order: 1, title: text('The stack'), steps: [{ id: 'look', goal: text('Look at the stack') }] }
]

function row(id: string, name: string, joinedAt: number, steps: ClassroomGridRowDto['steps'] = {}, extra: Partial<ClassroomGridRowDto> = {}): ClassroomGridRowDto {
  return { trainee: { id, name, service: name.toLowerCase(), apikey: `${name.toLowerCase()}_key`, joinedAt }, connected: 1, lastSeenAt: joinedAt, steps, ...extra }
}

describe('the class grid', () => {
  it('replaces a changed row by trainee id and adds new trainees, in the order they joined', () => {
    const ana = row('a1', 'Ana', 100)
    const bruno = row('b2', 'Bruno', 200)
    const rows = [ana, bruno]
    const merged = mergeRows(rows, [row('c3', 'Carla', 150), row('a1', 'Ana', 100, { measures: ['done'] }, { connected: 0, lastSeenAt: 900 })])
    expect(merged.map((r) => r.trainee.name)).toEqual(['Ana', 'Carla', 'Bruno'])
    expect(merged[0]).toMatchObject({ connected: 0, lastSeenAt: 900, steps: { measures: ['done'] } })
    expect(merged[2]).toBe(bruno)
    // The rows given are not changed (the store replaces its list as a whole).
    expect(rows).toEqual([ana, bruno])
  })

  it('keeps the last of two rows of one trainee in the same batch', () => {
    const merged = mergeRows([], [row('a1', 'Ana', 100, { measures: ['todo'] }), row('a1', 'Ana', 100, { measures: ['done'] })])
    expect(merged).toHaveLength(1)
    expect(merged[0]!.steps).toEqual({ measures: ['done'] })
  })

  it('orders trainees who joined at the same moment by name', () => {
    expect(mergeRows([row('z9', 'Zé', 5)], [row('a1', 'Ana', 5)]).map((r) => r.trainee.name)).toEqual(['Ana', 'Zé'])
  })

  it('counts the steps done over every lesson, a step the row does not know as to do', () => {
    const r = row('a1', 'Ana', 1, { 'first-device': ['done', 'todo'], measures: ['done'], gone: ['done', 'done'] })
    expect(stepsDone(r, lessons)).toEqual({ done: 2, total: 4 })
    expect(stepState(r, 'stack', 0)).toBe('todo')
    expect(stepState(r, 'first-device', 0)).toBe('done')
    expect(stepState(r, 'first-device', 1)).toBe('todo')
    expect(stepsDone(row('b2', 'Bruno', 1), lessons)).toEqual({ done: 0, total: 4 })
  })

  it('puts the lessons in their order', () => {
    expect(sortLessons(lessons).map((l) => l.id)).toEqual(['stack', 'first-device', 'measures'])
    expect(lessons[0]!.id).toBe('first-device')
  })

  it('says how long ago in whole seconds, minutes or hours', () => {
    const now = 10_000_000
    expect(sinceText(now - 400, now)).toBe('0 s')
    expect(sinceText(now - 42_900, now)).toBe('42 s')
    expect(sinceText(now - 60_000, now)).toBe('1 min')
    expect(sinceText(now - 3_599_000, now)).toBe('59 min')
    expect(sinceText(now - 7_300_000, now)).toBe('2 h')
    // A clock a little ahead on the server never reads as negative.
    expect(sinceText(now + 2000, now)).toBe('0 s')
  })

  it('names where a problem was seen when the lesson and step are known', () => {
    expect(problemPlace({ lessonId: 'first-device', stepId: 'device' }, lessons)).toEqual({ lesson: lessons[0], step: 2 })
    expect(problemPlace({ lessonId: 'first-device' }, lessons)).toEqual({ lesson: lessons[0] })
    expect(problemPlace({ lessonId: 'first-device', stepId: 'nope' }, lessons)).toEqual({ lesson: lessons[0] })
    expect(problemPlace({ lessonId: 'unknown' }, lessons)).toBeNull()
    expect(problemPlace({}, lessons)).toBeNull()
  })
})
