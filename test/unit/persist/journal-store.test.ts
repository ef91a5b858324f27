import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CHUNK_CHARS, JournalStore } from '../../../electron/engine/persist/journal-store'
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

  it('compaction rewrites the journal as the live records alone; a compaction cut short by a crash leaves the journal as it was', async () => {
    const f = file()
    const state = new Map<string, { v: number }>([['a', { v: 1 }]])
    const j = await JournalStore.open<{ v: number }>(f)
    await j.all()
    await j.putMany([{ id: 'gone', value: { v: 0 } }])
    j.setSnapshotSource(() => state.entries())
    await j.snapshot()
    expect(readFileSync(f, 'utf8')).toBe('{"r":[["a",{"v":1}]]}\n')
    await j.putMany([{ id: 'b', value: { v: 2 } }])
    // The new file of a compaction that never reached its rename.
    writeFileSync(`${f}.compact.tmp`, '{"r":[["half"')
    const again = await JournalStore.open<{ v: number }>(f)
    expect((await again.all()).map((r) => r.id).sort()).toEqual(['a', 'b'])
    expect(existsSync(`${f}.compact.tmp`)).toBe(false)
  })

  it('a large flush is written as many lines, each record read when its line is built', async () => {
    const f = file()
    const j = await JournalStore.open<{ text: string }>(f)
    await j.all()
    const text = 'x'.repeat(1000)
    const reads: number[] = []
    let line = 0
    await j.putMany(
      (function* () {
        for (let i = 0; i < 300; i++) {
          reads.push(line)
          yield { id: `e${i}`, value: { text } }
          // Lines written so far, seen from the reader's side.
          line = lines(f)
        }
      })()
    )
    expect(lines(f)).toBeGreaterThanOrEqual(4)
    for (const l of readFileSync(f, 'utf8').split('\n').filter(Boolean)) expect(l.length).toBeLessThan(CHUNK_CHARS + 2000)
    // Later records were read after earlier lines were on disk.
    expect(reads[reads.length - 1]).toBeGreaterThan(0)
    const again = await JournalStore.open<{ text: string }>(f)
    expect(await again.all()).toHaveLength(300)
  })

  it('reads the NeDB journal of earlier versions (snapshot rows, removed rows) and appends to it', async () => {
    const f = file()
    const row = (id: number, data: unknown): string => JSON.stringify({ _id: String(id).padStart(15, '0'), data: JSON.stringify(data) })
    writeFileSync(
      f,
      [
        row(0, { r: [['old', { v: 0 }]] }),
        row(1, { s: 1, r: [['a', { v: 1 }], ['b', { v: 1 }]] }),
        JSON.stringify({ $$deleted: true, _id: '000000000000000' }),
        row(2, { r: [['b', null], ['c', { v: 3 }]] }),
        ''
      ].join('\n')
    )
    const j = await JournalStore.open<{ v: number }>(f)
    expect((await j.all()).map((r) => [r.id, r.value.v]).sort()).toEqual([
      ['a', 1],
      ['c', 3]
    ])
    await j.putMany([{ id: 'd', value: { v: 4 } }])
    const again = await JournalStore.open<{ v: number }>(f)
    expect((await again.all()).map((r) => r.id).sort()).toEqual(['a', 'c', 'd'])
  })
})
