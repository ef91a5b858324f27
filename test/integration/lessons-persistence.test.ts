import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CREATE_SERVICE_BODY, JSON_TENANT } from '../fixtures/tutorial7'
import { PROGRESS_FILE, progressDir } from '../../electron/engine/lessons/progress-store'
import { startLessonsEngine, type LessonsEngine } from '../helpers/lessons-engine'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'

/** Lesson progress survives a stop and a start of the engine on the same data directory; a damaged file is reported and ignored. */

const LESSON = 'iot-agent-ul-mqtt'

describe('lesson progress on disk', () => {
  const dir = tempDir('ulcc-lessons-')
  const file = join(progressDir(dir.path), PROGRESS_FILE)
  let run: LessonsEngine | undefined
  afterAll(async () => {
    await run?.stop()
    dir.cleanup()
  })

  const stepOf = async (id: string) => (await run!.api['lessons.get']({ id: LESSON })).progress.steps.find((s) => s.stepId === id)!

  it('survives an engine stop and start, and the started lesson is watched again', async () => {
    run = await startLessonsEngine({ dataDir: dir.path })
    const { progress } = await run.api['lessons.get']({ id: LESSON })
    expect((await fetch(`${run.northUrl}/iot/about`)).status).toBe(200)
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('GET /iot/about was answered 200'), 'the progress on disk')
    await run.stop()

    run = await startLessonsEngine({ dataDir: dir.path })
    const list = await run.api['lessons.list']({})
    expect(list.errors).toEqual([])
    expect(list.lessons.find((l) => l.id === LESSON)?.done).toBe(1)
    // Not opened again: the lesson was started before, so its checks run from the start.
    expect((await fetch(`${run.northUrl}/iot/services`, { method: 'POST', headers: JSON_TENANT, body: JSON.stringify(CREATE_SERVICE_BODY) })).status).toBe(201)
    await waitFor(async () => (await run!.api['lessons.list']({})).lessons.find((l) => l.id === LESSON)?.done === 2, 'service-group done after the restart')
    const health = await stepOf('agent-health')
    expect(health).toMatchObject({ state: 'done', evidence: { summary: 'GET /iot/about was answered 200' } })
    expect((await run.api['lessons.get']({ id: LESSON })).progress.startedAt).toBe(progress.startedAt)
    await run.stop()
  })

  it('a damaged progress file is reported, logged and ignored', async () => {
    writeFileSync(file, '{"format": 1, "lessons": {"iot-agent-ul-mqtt": ')
    run = await startLessonsEngine({ dataDir: dir.path })
    const list = await run.api['lessons.list']({})
    expect(list.errors).toEqual([`${file}: not valid JSON; the progress of every lesson starts again`])
    expect(list.lessons.find((l) => l.id === LESSON)?.done).toBe(0)
    expect(run.logs.some((e) => e.level === 'WARN' && e.code === 'LESSON_PROGRESS')).toBe(true)
    const { progress } = await run.api['lessons.get']({ id: LESSON })
    // The group made before is still there: a state check finds it again, as soon as the lesson is opened.
    await waitFor(() => run!.latest(LESSON)?.steps.find((s) => s.stepId === 'service-group')?.state === 'done', 'service-group done again')
    expect(progress.steps.find((s) => s.stepId === 'agent-health')?.state).toBe('todo')
  })
})
