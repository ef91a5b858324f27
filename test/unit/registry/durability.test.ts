import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { Logger } from '../../../electron/engine/log/logger'
import { Registry } from '../../../electron/engine/registry/registry'
import { tempDir } from '../../helpers/temp-dir'

const child = fileURLToPath(new URL('./durability-child.ts', import.meta.url))

describe('registry durability', () => {
  const cleanups: Array<() => void | Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  it('keeps a group and a device whose writes resolved when the process is killed with SIGKILL', async () => {
    const dir = tempDir('ulcc-kill-')
    cleanups.push(dir.cleanup)
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir.path], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (c: Buffer) => {
        if (c.toString().includes('done')) {
          proc.kill('SIGKILL')
          resolve()
        }
      })
      proc.on('exit', (code) => reject(new Error(`child exited (${code}) before "done": ${stderr}`)))
    })
    expect(await exited).toBe('SIGKILL')

    const registry = await Registry.open({ dataDir: dir.path }, new Logger('FATAL', 1))
    cleanups.push(() => registry.close())
    expect(registry.findGroup('', 'k1')).toMatchObject({ service: 'openiot', subservice: '/', entity_type: 'Device' })
    expect(registry.findDevice('openiot', '/', 'device001', 'k1')).toMatchObject({ entity_name: 'urn:ngsi-ld:Device:001' })
    expect(registry.findDeviceByEntity('openiot', '/', 'urn:ngsi-ld:Device:001')?.device_id).toBe('device001')
  })
})
