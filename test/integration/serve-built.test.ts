import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLessons } from '../../electron/engine/lessons/catalog'
import { LESSON_YAML_OPTIONS } from '../../electron/engine/lessons/lesson-file'
import { lessonTextKey } from '../../electron/engine/lessons/preparsed'
import { siteFixture, WsTestClient } from '../helpers/gui-server'
import { tempDir } from '../helpers/temp-dir'
import { EPHEMERAL_PORT_FLAGS } from '../helpers/ports'

/**
 * `npm run serve` as the README says to run it: scripts/serve.mjs, plain Node.js without a
 * TypeScript loader, building out/serve/serve.js when needed and running that build.
 */

const root = join(import.meta.dirname, '..', '..')
const PORTS = ['--host', '127.0.0.1', ...EPHEMERAL_PORT_FLAGS]

function run(script: string, args: string[]): { stdout: () => string; stderr: () => string; exited: Promise<number | null>; ready: Promise<void>; stop: () => Promise<number | null> } {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ULCC_GUI_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (/^Ready\./m.test(stdout)) resolve()
    })
    void exited.then(() => resolve())
  })
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    ready,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}

let site: ReturnType<typeof siteFixture>

beforeAll(() => {
  site = siteFixture()
})

afterAll(() => site?.cleanup())

describe('npm run serve from built JavaScript', () => {
  it('builds out/serve/serve.js when needed, and then finds it up to date', async () => {
    const first = run('scripts/serve-build.mjs', [])
    expect(await first.exited, first.stderr()).toBe(0)
    expect(existsSync(join(root, 'out', 'serve', 'serve.js'))).toBe(true)
    const second = run('scripts/serve-build.mjs', [])
    expect(await second.exited, second.stderr()).toBe(0)
    expect(second.stdout()).toBe('out/serve is up to date\n')
    // No temporary build folder is left behind.
    expect(readdirSync(join(root, 'out')).filter((n) => n.startsWith('.serve-build-'))).toEqual([])
  }, 120_000)

  it('starts, prints the endpoint lines, answers on them with the lessons of resources/, and stops on SIGTERM', async () => {
    const data = tempDir('ulcc-serve-built-')
    const token = 'feed'.repeat(8)
    const s = run('scripts/serve.mjs', ['--data-dir', data.path, ...PORTS, '--gui-dir', site.root, '--gui-token', token])
    let client: WsTestClient | undefined
    try {
      await s.ready
      const lines = s.stdout().split('\n')
      const line = (name: string): string | undefined => lines.find((l) => l.startsWith(name))
      expect(line('Ready.'), s.stdout() + s.stderr()).toBe('Ready. Press Ctrl+C to stop.')
      for (const name of ['IoT Agent UltraLight north API', 'NGSI-v2 context broker', 'MQTT broker (TCP)', 'MQTT broker (WebSocket)', 'GUI ']) expect(line(name), name).toMatch(/ {2}\(listening on 127\.0\.0\.1:\d+\)$/)

      const ngsi = line('NGSI-v2 context broker')!.split(/\s+/)[3]!
      const version = await fetch(`${ngsi}/version`)
      expect(version.status).toBe(200)
      const north = line('IoT Agent UltraLight north API')!.slice('IoT Agent UltraLight north API'.length).trim().split(/\s+/)[0]!
      expect((await fetch(`${north}/iot/about`)).status).toBe(200)

      // The project root is found from out/serve/: the lessons shipped in resources/lessons load.
      const gui = new URL(line('GUI ')!.split(/\s+/)[1]!)
      client = await WsTestClient.connect(`ws://${gui.host}/ws?token=${token}`)
      const lessons = await client.request('lessons.list', {})
      expect(lessons.ok).toBe(true)
      expect((lessons.result as { lessons: unknown[]; errors: string[] }).lessons.length).toBeGreaterThan(0)
      expect((lessons.result as { errors: string[] }).errors).toEqual([])

      // The shipped lessons come already parsed in the build (lessons/preparsed.ts), and are the
      // lessons this process reads from the YAML files.
      const dir = join(root, 'resources', 'lessons')
      const built = readFileSync(join(root, 'out', 'serve', 'serve.js'), 'utf8')
      // Latin-1 only, so that Node.js keeps its source at one byte a character (scripts/serve-build.mjs).
      expect(built).not.toMatch(/[\u0100-\uffff]/)
      for (const name of readdirSync(dir)) expect(built, name).toContain(lessonTextKey(LESSON_YAML_OPTIONS, readFileSync(join(dir, name), 'utf8')))
      const fromYaml = await loadLessons([dir])
      expect(fromYaml.errors).toEqual([])
      expect((lessons.result as { lessons: { id: string }[] }).lessons.map((l) => l.id)).toEqual(fromYaml.lessons.map((l) => l.id))
      for (const lesson of fromYaml.lessons) {
        const got = await client.request('lessons.get', { id: lesson.id })
        expect(got.ok, lesson.id).toBe(true)
        expect((got.result as { lesson: unknown }).lesson).toEqual(lesson)
      }

      expect(await s.stop()).toBe(0)
    } finally {
      await client?.close()
      await s.stop()
      data.cleanup()
    }
  }, 120_000)
})
