/**
 * `npm run serve -- --classroom` for the GUI tests, as a trainer starts it: a child process on
 * ephemeral ports with a temporary data directory, read from the lines it prints.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EPHEMERAL_PORT_FLAGS } from '../helpers/ports'

export interface ClassroomServe {
  /** The trainer's page (with the GUI token). */
  trainerUrl: string
  /** The page trainees open (with the join code). */
  traineeUrl: string
  northUrl: string
  ngsiUrl: string
  stop(): Promise<void>
}

const ROOT = join(import.meta.dirname, '..', '..')
const PORTS = [...EPHEMERAL_PORT_FLAGS]

export async function serveClassroom(code: string): Promise<ClassroomServe> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ulcc-classroom-e2e-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/serve.ts', '--data-dir', dataDir, '--host', '127.0.0.1', ...PORTS, '--classroom', '--classroom-code', code], {
    cwd: ROOT,
    env: { ...process.env, ULCC_GUI_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (/^Ready\./m.test(stdout)) resolve()
    })
    void exited.then(() => reject(new Error(`serve --classroom exited before it was ready:\n${stdout}\n${stderr}`)))
  })
  const url = (label: string): string => {
    const line = stdout.split('\n').find((l) => l.startsWith(label))
    const found = line?.slice(label.length).trim().split(/\s+/)[0]
    if (!found) throw new Error(`no "${label}" line in:\n${stdout}`)
    return found
  }
  return {
    trainerUrl: url('GUI'),
    traineeUrl: url('Trainees join at'),
    northUrl: url('IoT Agent UltraLight north API'),
    ngsiUrl: url('NGSI-v2 context broker'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
