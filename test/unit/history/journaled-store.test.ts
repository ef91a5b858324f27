import { appendFileSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JournaledHistoryStore } from '../../../electron/engine/history/journaled-store'
import type { HistoryPoint } from '../../../electron/engine/history/store'
import { spawnJsonLine } from '../../helpers/spawn-json-line'
import { tempDir } from '../../helpers/temp-dir'

const point = (i: number): HistoryPoint => ({ service: 's', servicePath: '/', entityId: 'e', entityType: 'T', attrName: 'a', attrType: 'Number', attrValue: String(i), recvTime: 1_700_000_000_000 + i })
const KEY = { service: 's', servicePath: '/', entityId: 'e', entityType: 'T', attrName: 'a' }
const dirs: Array<{ cleanup: () => void }> = []
const open = (filename: string, maxPoints = 1_000_000) => JournaledHistoryStore.open({ filename, limits: { retentionDays: 36_500, maxPoints }, flushIntervalMs: 1000, commitDelayMs: 0 })

afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

function fileIn(): string {
  const d = tempDir('ulcc-history-file-')
  dirs.push(d)
  return join(d.path, 'history', 'points.log')
}

describe('JournaledHistoryStore on disk', () => {
  it('one line per group commit, and a file bounded by the live points', async () => {
    const file = fileIn()
    const { store } = await open(file, 2000)
    store.append(Array.from({ length: 500 }, (_, i) => point(i)))
    await store.durable()
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(1)
    let largest = 0
    for (let b = 0; b < 100; b++) {
      store.append(Array.from({ length: 500 }, (_, i) => point(500 + b * 500 + i)))
      await store.durable()
      largest = Math.max(largest, readFileSync(file, 'utf8').trimEnd().split('\n').reduce((n, l) => n + (JSON.parse(l) as { p: unknown[] }).p.length, 0))
    }
    // 50,500 points went through; the file never held more than the rewrite threshold and a batch.
    expect(store.size).toBe(2000)
    expect(largest).toBeLessThanOrEqual(2000 + 10_000 + 500)
    await store.close()
  })

  it('sets aside a line torn by a crash and loads the rest', async () => {
    const file = fileIn()
    const { store } = await open(file)
    store.append([point(1), point(2)])
    await store.close()
    appendFileSync(file, '{"p":[[0,1700000000003,"Number","3"')
    const { store: again, notice } = await open(file)
    expect(notice).toMatch(/cut short/)
    expect(again.read(KEY).map((p) => p.attrValue)).toEqual(['1', '2'])
    await again.close()
  })

  it('refuses a file damaged in the middle, naming it', async () => {
    const file = fileIn()
    const { store } = await open(file)
    store.append([point(1)])
    await store.close()
    appendFileSync(file, 'garbage\n{"p":[]}\n')
    await expect(open(file)).rejects.toThrow(/points\.log is damaged at line 2/)
  })

  it('keeps every confirmed point through a kill -9', async () => {
    const file = fileIn()
    const child = await spawnJsonLine<{ durable: number }>('test/helpers/history-writer-child.ts', [file, '5000'])
    expect(child.info.durable).toBe(5000)
    child.child.kill('SIGKILL')
    await child.exited
    expect(statSync(file).size).toBeGreaterThan(0)
    const { store } = await open(file)
    const values = store.read(KEY).map((p) => Number(p.attrValue))
    expect(values.length).toBeGreaterThanOrEqual(5000)
    expect(values.slice(0, 5000)).toEqual(Array.from({ length: 5000 }, (_, i) => i))
    await store.close()
  })
})
