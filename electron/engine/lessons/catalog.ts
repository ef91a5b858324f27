/**
 * The lessons of a folder (`resources/lessons` and, later, a trainer's own folder): every `*.yaml`
 * file is read and validated on its own, so that a bad file is reported (file and field) while the
 * others still load. Lessons are sorted by their `order`, then id; a duplicate id is an error of the
 * later file.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Lesson } from '../../../shared/lessons'
import { MAX_LESSON_BYTES, parseLesson } from './lesson-file'

export interface LessonCatalog {
  lessons: Lesson[]
  /** One entry per problem, each naming its file. */
  errors: string[]
}

export async function loadLessons(dirs: readonly string[]): Promise<LessonCatalog> {
  const lessons: Lesson[] = []
  const errors: string[] = []
  const byId = new Map<string, string>()
  for (const dir of dirs) {
    let names: string[]
    try {
      names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort()
    } catch (err) {
      errors.push(`${dir}: cannot list the lessons (${(err as Error).message})`)
      continue
    }
    for (const name of names) {
      const file = join(dir, name)
      try {
        const size = (await stat(file)).size
        if (size > MAX_LESSON_BYTES) {
          errors.push(`${file}: larger than ${MAX_LESSON_BYTES / 1024} KiB`)
          continue
        }
        const parsed = parseLesson(file, await readFile(file, 'utf8'))
        if (!parsed.ok) {
          errors.push(...parsed.errors)
          continue
        }
        const other = byId.get(parsed.lesson.id)
        if (other) {
          errors.push(`${file}: id: "${parsed.lesson.id}" is already the id of ${other}`)
          continue
        }
        byId.set(parsed.lesson.id, file)
        lessons.push(parsed.lesson)
      } catch (err) {
        errors.push(`${file}: cannot be read (${(err as Error).message})`)
      }
    }
  }
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
  return { lessons, errors }
}
