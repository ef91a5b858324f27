import { afterEach, describe, expect, it } from 'vitest'
import { engineStatus } from '../../electron/engine/api'
import { freePort } from '../helpers/free-port'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { waitFor } from '../helpers/wait-for'

describe('engine status: each component as measured', () => {
  let run: RunningEngine | undefined
  afterEach(async () => {
    await run?.dispose()
    run = undefined
  })

  it('embedded stack: the broker and the agent listen, the context broker runs', async () => {
    run = await startEngine()
    const s = engineStatus(run.engine)
    expect(s.components).toEqual({
      mqtt: { kind: 'embedded', up: true, condition: 'listening' },
      agent: { kind: 'embedded', up: true, condition: 'listening' },
      contextBroker: { kind: 'embedded', up: true, condition: 'running' }
    })
    expect(s.endpoints.map((e) => e.role)).toEqual(['iota-north', 'iota-json-north', 'iota-south', 'ngsi', 'context-provider', 'http-devices', 'cygnus', 'cygnus-api', 'sth', 'mqtt', 'mqtt-ws'])
  })

  it('an external Orion nobody answers for is unreachable, never up, with the error and since when', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const before = Date.now()
    run = await startEngine((c) => (c.contextBroker = { mode: 'external', url, retryMaxMs: 200 }))
    // The start's probe of Orion is the first request: its refusal is the first reading.
    const cb = await waitFor(() => {
      const c = engineStatus(run!.engine).components.contextBroker
      return c.condition !== 'checking' && c
    }, 'the first answer (or refusal) of the external Orion')
    expect(cb).toMatchObject({ kind: 'external', up: false, condition: 'unreachable', lastError: expect.stringMatching(/ECONNREFUSED|refused|connect/i) })
    expect(cb.since).toBeGreaterThanOrEqual(before)
    expect(cb.lastErrorAt).toBeGreaterThanOrEqual(before)

    const s = engineStatus(run.engine)
    // The rest of the stack is unaffected; the endpoint of Orion is the external one.
    expect(s.components.mqtt).toMatchObject({ up: true, condition: 'listening' })
    expect(s.components.agent).toMatchObject({ up: true, condition: 'listening' })
    expect(s.endpoints.find((e) => e.role === 'ngsi-external')?.urls).toEqual([url])
    expect(s.endpoints.some((e) => e.role === 'ngsi')).toBe(false)
    expect(s.contextBroker.queue?.reachable).toBe(false)
  })
})
