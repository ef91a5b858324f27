import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PROGRESS_FILE, progressDir, readProgress, writeProgress } from '../../../electron/engine/lessons/progress-store'
import { tempDir } from '../../helpers/temp-dir'

describe('lesson progress file', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = []
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))
  const dir = (): string => {
    const d = tempDir('ulcc-lessons-')
    dirs.push(d)
    return d.path
  }

  it('writes atomically and reads back', async () => {
    const data = dir()
    const p = { lessonId: 'a', startedAt: 5, steps: [{ stepId: 's', state: 'done' as const, evidence: { at: 6, summary: 'ok', data: { x: 1 } }, hints: [] }] }
    await writeProgress(data, [p])
    expect(readdirSync(progressDir(data))).toEqual([PROGRESS_FILE])
    const read = await readProgress(data)
    expect(read.problems).toEqual([])
    expect(read.progress.get('a')).toEqual(p)
  })

  it('no file is no progress and no problem', async () => {
    expect(await readProgress(dir())).toEqual({ progress: new Map(), problems: [] })
  })

  it('a damaged file or record is reported and ignored', async () => {
    const data = dir()
    mkdirSync(progressDir(data), { recursive: true })
    const file = join(progressDir(data), PROGRESS_FILE)
    writeFileSync(file, '{"format":1,"lessons":{')
    const broken = await readProgress(data)
    expect(broken.progress.size).toBe(0)
    expect(broken.problems).toEqual([`${file}: not valid JSON; the progress of every lesson starts again`])

    writeFileSync(file, JSON.stringify({ format: 1, lessons: { good: { lessonId: 'good', steps: [] }, bad: { lessonId: 'bad', steps: [{ stepId: 's', state: 'maybe', hints: [] }] } } }))
    const partly = await readProgress(data)
    expect([...partly.progress.keys()]).toEqual(['good'])
    expect(partly.problems).toEqual([`${file}: the progress of lesson "bad" is damaged; it starts again`])
  })
})
