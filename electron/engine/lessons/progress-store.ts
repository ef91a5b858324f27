/**
 * Lesson progress on disk: `<dataDir>/lessons/progress.json`, one record per lesson (its start,
 * each step's state, evidence and hints). Written atomically (a temporary file renamed over the
 * old one) and debounced; read once at start and validated lesson by lesson, so that a damaged
 * record costs only that lesson's progress and a damaged file only the progress, never the start.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import type { Lesson, LessonProgressDto, StepProgressDto } from '../../../shared/lessons'
import type { SourceLogger } from '../log/logger'
import { writeFileAtomic } from '../persist/atomic-file'

export const PROGRESS_FILE = 'progress.json'

const Hint = Type.Object({ index: Type.Integer({ minimum: 0 }), at: Type.Number(), observed: Type.Optional(Type.String()) })
const Evidence = Type.Object({ at: Type.Number(), summary: Type.String(), data: Type.Optional(Type.Unknown()), traceId: Type.Optional(Type.Integer()) })
const Step = Type.Object({
  stepId: Type.String({ minLength: 1 }),
  state: Type.Union([Type.Literal('todo'), Type.Literal('done')]),
  evidence: Type.Optional(Evidence),
  hints: Type.Array(Hint)
})
const Progress = Type.Object({ lessonId: Type.String({ minLength: 1 }), startedAt: Type.Optional(Type.Number()), steps: Type.Array(Step) })
const checkProgress = Compile(Progress)

export interface LoadedProgress {
  progress: Map<string, LessonProgressDto>
  /** Problems found (a damaged file or record), each naming the file; the rest was loaded. */
  problems: string[]
}

export function progressDir(dataDir: string): string {
  return join(dataDir, 'lessons')
}

/** Reads the progress file; a missing file is no progress, a damaged one is reported and ignored (lesson by lesson when it can be). */
export async function readProgress(dataDir: string): Promise<LoadedProgress> {
  const file = join(progressDir(dataDir), PROGRESS_FILE)
  const progress = new Map<string, LessonProgressDto>()
  const problems: string[] = []
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${file}: cannot be read (${(err as Error).message}); the progress starts again`)
    return { progress, problems }
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    problems.push(`${file}: not valid JSON; the progress of every lesson starts again`)
    return { progress, problems }
  }
  const lessons = (doc as { format?: unknown; lessons?: unknown } | null)?.lessons
  if ((doc as { format?: unknown } | null)?.format !== 1 || typeof lessons !== 'object' || lessons === null || Array.isArray(lessons)) {
    problems.push(`${file}: not a progress file of this version; the progress of every lesson starts again`)
    return { progress, problems }
  }
  for (const [id, record] of Object.entries(lessons)) {
    if (checkProgress.Check(record) && record.lessonId === id) progress.set(id, record)
    else problems.push(`${file}: the progress of lesson "${id}" is damaged; it starts again`)
  }
  return { progress, problems }
}

/** Writes every lesson's progress at once, atomically. */
export async function writeProgress(dataDir: string, progress: Iterable<LessonProgressDto>): Promise<void> {
  const dir = progressDir(dataDir)
  await mkdir(dir, { recursive: true })
  const file = join(dir, PROGRESS_FILE)
  const lessons = Object.fromEntries([...progress].map((p) => [p.lessonId, p]))
  await writeFileAtomic(file, JSON.stringify({ format: 1, lessons }) + '\n')
}

export const todoStep = (stepId: string): StepProgressDto => ({ stepId, state: 'todo', hints: [] })

/** The saved progress of a lesson, fitted to the lesson as it is now (steps added, removed or reordered since). */
export function fittedProgress(lesson: Lesson, saved: LessonProgressDto | undefined): LessonProgressDto {
  const steps = lesson.steps.map((s) => {
    const p = saved?.steps.find((x) => x.stepId === s.id)
    if (!p) return todoStep(s.id)
    return { ...p, hints: p.state === 'done' ? [] : p.hints.filter((h) => h.index < (s.hints?.length ?? 0)) }
  })
  return { lessonId: lesson.id, ...(saved?.startedAt === undefined ? {} : { startedAt: saved.startedAt }), steps }
}

/** Progress is written at most this long after a change. */
const SAVE_DELAY_MS = 300

/** Writes the progress a while after it changed (debounced), one write after the other; `flush` writes what is pending now. */
export class ProgressSaver {
  private timer: NodeJS.Timeout | undefined
  private saving: Promise<void> = Promise.resolve()

  constructor(
    private readonly dataDir: string,
    private readonly logger: Pick<SourceLogger, 'warn'>,
    private readonly records: () => LessonProgressDto[]
  ) {}

  schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.save()
    }, SAVE_DELAY_MS)
    this.timer.unref?.()
  }

  /** Writes now if a write was pending, else waits for the one under way. */
  async flush(): Promise<void> {
    const pending = this.timer !== undefined
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await (pending ? this.save() : this.saving)
  }

  private save(): Promise<void> {
    const records = this.records().map((p) => structuredClone(p))
    this.saving = this.saving
      .then(() => writeProgress(this.dataDir, records))
      .catch((err: Error) => this.logger.warn('LESSON_PROGRESS', `the lesson progress could not be saved: ${err.message}`))
    return this.saving
  }
}
