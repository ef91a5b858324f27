import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { siteFixture, WsTestClient } from '../helpers/gui-server'
import { tempDir } from '../helpers/temp-dir'
import { EPHEMERAL_PORT_FLAGS } from '../helpers/ports'
import { LABEL_COLUMN } from '../../electron/engine/endpoint-label'

/**
 * `npm run serve` as a user runs it: the GUI line with the page's URL and token among the
 * endpoint lines, the page and its WebSocket behind it, the GUI flags, a clean stop.
 */

const root = join(import.meta.dirname, '..', '..')
const PORTS = [...EPHEMERAL_PORT_FLAGS]

let site: ReturnType<typeof siteFixture>

interface Serve {
  lines: string[]
  stderr(): string
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  stop(): Promise<number | null>
}

/** Starts `tsx electron/serve.ts <args>` and waits for "Ready." (or its exit). */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Serve> {
  const data = tempDir('ulcc-serve-gui-')
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/serve.ts', '--data-dir', data.path, ...args], {
    cwd: root,
    env: { ...process.env, ULCC_GUI_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      data.cleanup()
      resolve(code)
    })
  )
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (/^Ready\./m.test(stdout) || /^Usage:/m.test(stdout)) resolve()
    })
    void exited.then(() => resolve())
  })
  return {
    lines: stdout.split('\n'),
    stderr: () => stderr,
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}

function guiLine(s: Serve): string | undefined {
  return s.lines.find((l) => l.startsWith('GUI '))
}

beforeAll(() => {
  site = siteFixture()
})

afterAll(() => site?.cleanup())

describe('npm run serve with the browser GUI', () => {
  it('prints the GUI line with the URL and token, serves the page and the WebSocket, and closes it on stop', async () => {
    const token = 'c0ffee'.repeat(10) + 'abcd'
    const s = await serve([...PORTS, '--gui-dir', site.root, '--gui-token', token.toUpperCase()])
    let client: WsTestClient | undefined
    try {
      const line = guiLine(s)
      expect(line, s.lines.join('\n') + s.stderr()).toMatch(new RegExp(`^GUI {${LABEL_COLUMN - 3 + 1}}http://(localhost|127\\.0\\.0\\.1|\\[::1\\]):(\\d+)/\\?token=${token}  \\(listening on `))
      // Among the endpoint lines, before "Ready.".
      const at = s.lines.indexOf(line!)
      expect(s.lines[at - 1]).toMatch(/^MQTT broker/)
      expect(s.lines[at + 1]).toMatch(/^Ready\./)

      const url = new URL(line!.split(/\s+/)[1]!)
      const page = await fetch(new URL('/', url))
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('UltraLight Control Center')

      client = await WsTestClient.connect(`ws://${url.host}/ws?token=${token}`)
      expect((await client.request('engine.status', {})).ok).toBe(true)

      expect(await s.stop()).toBe(0)
      expect((await client.closed).code).toBe(1001)
    } finally {
      await client?.close()
      await s.stop()
    }
  })

  it('makes a new random token every run, or takes ULCC_GUI_TOKEN', async () => {
    const a = await serve([...PORTS, '--host', '127.0.0.1', '--gui-dir', site.root])
    const b = await serve([...PORTS, '--host', '127.0.0.1', '--gui-dir', site.root], { ULCC_GUI_TOKEN: 'ab'.repeat(16) })
    try {
      const token = (s: Serve): string | undefined => /\?token=([0-9a-f]+)/.exec(guiLine(s) ?? '')?.[1]
      expect(guiLine(a)).toMatch(new RegExp(`^GUI {${LABEL_COLUMN - 3 + 1}}http://127\\.0\\.0\\.1:\\d+/\\?token=`))
      expect(token(a)).toMatch(/^[0-9a-f]{64}$/)
      expect(token(b)).toBe('ab'.repeat(16))
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })

  it('refuses a token that is not 16 to 128 hex digits', async () => {
    for (const bad of ['short', 'g'.repeat(32), 'ab'.repeat(65)]) {
      const s = await serve([...PORTS, '--host', '127.0.0.1', '--gui-dir', site.root, `--gui-token=${bad}`])
      expect(await s.exited).toBe(1)
      expect(s.stderr()).toContain('configuration error: --gui-token')
    }
  })

  it('runs without GUI on --no-gui, and documents the flags', async () => {
    const s = await serve([...PORTS, '--host', '127.0.0.1', '--no-gui'])
    try {
      expect(s.lines.some((l) => l.startsWith('NGSI-v2 context broker'))).toBe(true)
      expect(guiLine(s)).toBeUndefined()
    } finally {
      await s.stop()
    }
    const help = await serve(['--help'])
    expect(await help.exited).toBe(0)
    for (const flag of ['--gui-port', '--gui-token', '--gui-dir', '--no-gui', '--classroom', '--classroom-code']) expect(help.lines.join('\n')).toContain(flag)
  })

  it('serves a classroom on --classroom: the trainee URL with the join code, the join page, and a warning while on loopback only', async () => {
    const s = await serve([...PORTS, '--host', '127.0.0.1', '--gui-dir', site.root, '--classroom', '--classroom-code', 'Turma2026'])
    try {
      const line = s.lines.find((l) => l.startsWith('Trainees join at'))
      expect(line, s.lines.join('\n') + s.stderr()).toMatch(new RegExp(`^Trainees join at {${LABEL_COLUMN - 16 + 1}}http://localhost:(\\d+)/\\?join=turma2026 {2}\\(join code turma2026;`))
      expect(s.stderr()).toContain('classroom mode listens on this computer only')
      const url = new URL(line!.split(/\s+/)[3]!)
      const joined = await fetch(new URL('/classroom/join', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'turma2026', name: 'Ana' }) })
      expect(joined.status).toBe(200)
      const { token } = (await joined.json()) as { token: string }
      const page = await WsTestClient.connect(`ws://${url.host}/ws?trainee=${token}`)
      expect((await page.request('classroom.whoami', {})).result).toMatchObject({ role: 'trainee', trainee: { service: 'ana' } })
      await page.close()
    } finally {
      await s.stop()
    }
    // Without --classroom there is no class to join.
    const plain = await serve([...PORTS, '--host', '127.0.0.1', '--gui-dir', site.root])
    try {
      const origin = new URL(guiLine(plain)!.split(/\s+/)[1]!).origin
      const r = await fetch(`${origin}/classroom/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"x","name":"y"}' })
      expect(r.status).toBe(404)
    } finally {
      await plain.stop()
    }
  })

  it('refuses a malformed join code, or one without --classroom', async () => {
    for (const args of [['--classroom', '--classroom-code', 'a b'], ['--classroom-code', 'abcdef12'], ['--classroom', '--no-gui']]) {
      const s = await serve([...PORTS, '--host', '127.0.0.1', '--gui-dir', site.root, ...args])
      expect(await s.exited, args.join(' ')).toBe(1)
      expect(s.stderr()).toContain('configuration error: --classroom')
    }
  })
})
