import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JournalStore } from '../../../electron/engine/persist/journal-store'
import { tempDir } from '../../helpers/temp-dir'

describe('JournalStore', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const file = (): string => {
    const d = tempDir()
    dirs.push(d)
    return join(d.path, 'j.db')
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))
  const lines = (f: string): number => readFileSync(f, 'utf8').split('\n').filter(Boolean).length

  it('writes a batch of many records as one line and replays it, deletions included', async () => {
    const f = file()
    const j = await JournalStore.open<{ v: number }>(f)
    await j.all()
    await j.putMany(Array.from({ length: 500 }, (_, i) => ({ id: `e${i}`, value: { v: i } })))
    expect(lines(f)).toBe(1)
    await j.putMany([{ id: 'e1', value: { v: 100 } }, { id: 'e2', value: null }])
    const again = await JournalStore.open<{ v: number }>(f)
    const all = new Map((await again.all()).map((r) => [r.id, r.value.v]))
    expect(all.size).toBe(499)
    expect(all.get('e1')).toBe(100)
    expect(all.has('e2')).toBe(false)
  })

  it('snapshots when the journal outgrows the live data, keeping the file small and the data whole', async () => {
    const f = file()
    const state = new Map<string, { v: number }>()
    const j = await JournalStore.open<{ v: number }>(f, { minRecordsBetweenSnapshots: 50, liveMultiple: 2 })
    await j.all()
    j.setSnapshotSource(() => state.entries())
    for (let round = 0; round < 40; round++) {
      const batch = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, value: { v: round } }))
      for (const r of batch) state.set(r.id, r.value)
      await j.putMany(batch)
    }
    // 40 batches were written; snapshots keep the file to a handful of rows.
    expect(lines(f)).toBeLessThan(10)
    const again = await JournalStore.open<{ v: number }>(f)
    const all = await again.all()
    expect(all).toHaveLength(10)
    expect(all.every((r) => r.value.v === 39)).toBe(true)
  })

  it('replays from the last snapshot even when older rows were not removed (crash between the two)', async () => {
    const f = file()
    const state = new Map<string, { v: number }>([['a', { v: 1 }]])
    const j = await JournalStore.open<{ v: number }>(f)
    await j.all()
    await j.putMany([{ id: 'gone', value: { v: 0 } }])
    j.setSnapshotSource(() => state.entries())
    await j.snapshot()
    await j.putMany([{ id: 'b', value: { v: 2 } }])
    const again = await JournalStore.open<{ v: number }>(f)
    expect((await again.all()).map((r) => r.id).sort()).toEqual(['a', 'b'])
  })
})
