/**
 * The fixture of the GUI tests: a real engine with the browser GUI server in front of it (one per
 * test, ephemeral ports, temporary data), and helpers that talk to it the way the tutorial does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test as base, expect, type Page } from '@playwright/test'
import { APIKEY, CREATE_SERVICE_BODY, PROVISION_DEVICE_BODY, TENANT } from '../fixtures/tutorial7'

/** The engine and GUI server of one test, running in a child process (see gui-server-child.ts). */
export interface RunningGui {
  /** The page's URL, with its token. */
  url: string
  northUrl: string
  /** The IoT Agent JSON's provisioning API, and the HTTP south port both agents share. */
  jsonNorthUrl: string
  southUrl: string
  ngsiUrl: string
  mqttUrl: string
  /** Starts the built-in simulated device in the engine, as the simulator view does. */
  startSeed(args: { apikey: string; deviceId: string; intervalSec: number; switchedOn: boolean }): Promise<void>
  /** Publishes on the engine's broker, as a device would. */
  publish(topic: string, payload: string): Promise<void>
  stop(): Promise<void>
}

async function startGui(): Promise<RunningGui> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'gui-server-child.ts')], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const lines = createInterface({ input: child.stdout })
  const waiting = new Map<number, (m: { ok: boolean; error?: string }) => void>()
  let nextId = 1
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  type Addresses = Pick<RunningGui, 'url' | 'northUrl' | 'jsonNorthUrl' | 'southUrl' | 'ngsiUrl' | 'mqttUrl'>
  const ready = new Promise<Addresses>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the GUI server exited (${code}) before it was ready:\n${stderr}`)))
    lines.on('line', (line) => {
      let m: { ready?: boolean; id?: number; ok?: boolean; error?: string; url?: string }
      try {
        m = JSON.parse(line) as typeof m
      } catch {
        return
      }
      if (m.ready) resolve(m as Addresses)
      else if (typeof m.id === 'number') waiting.get(m.id)?.({ ok: !!m.ok, error: m.error })
    })
  })
  const send = (cmd: Record<string, unknown>): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      waiting.set(id, (m) => (m.ok ? resolve() : reject(new Error(m.error))))
      child.stdin.write(JSON.stringify({ id, ...cmd }) + '\n')
    })
  const addresses = await ready
  return {
    ...addresses,
    startSeed: (args) => send({ op: 'startSeed', args }),
    publish: (topic, payload) => send({ op: 'publish', topic, payload }),
    stop: async () => {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}

export const T7 = {
  apikey: APIKEY,
  headers: { ...TENANT, 'Content-Type': 'application/json' },
  group: CREATE_SERVICE_BODY,
  device: PROVISION_DEVICE_BODY
}

/** The tutorial's two provisioning requests, sent to the north API as Postman sends them. */
export async function provisionTutorial(gui: RunningGui): Promise<void> {
  for (const [path, body] of [
    ['/iot/services', T7.group],
    ['/iot/devices', T7.device]
  ] as const) {
    const res = await fetch(`${gui.northUrl}${path}`, { method: 'POST', headers: T7.headers, body: JSON.stringify(body) })
    expect(res.status, `POST ${path}`).toBe(201)
  }
}

/** The tutorial's command request (PATCH on the context broker). */
export async function sendTutorialCommand(gui: RunningGui, command: string, value: string): Promise<void> {
  const res = await fetch(`${gui.ngsiUrl}/v2/entities/urn:ngsi-ld:Device:001/attrs?type=Device`, {
    method: 'PATCH',
    headers: T7.headers,
    body: JSON.stringify({ [command]: { type: 'command', value } })
  })
  expect(res.status, `PATCH ${command}`).toBe(204)
}

/** Opens the GUI and waits until it shows the engine's state. */
export async function openGui(page: Page, gui: RunningGui): Promise<void> {
  await page.goto(gui.url)
  await expect(page.getByTestId('stack-diagram')).toBeVisible()
  await expect(page.getByTestId('connection-banner')).toHaveCount(0)
}

export const test = base.extend<{ gui: RunningGui }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this destructuring; it must be an object pattern, here an empty one
  gui: async ({}, use) => {
    const gui = await startGui()
    try {
      await use(gui)
    } finally {
      await gui.stop()
    }
  }
})

export { expect }
