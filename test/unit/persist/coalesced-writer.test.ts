import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { DocStore } from '../../../electron/engine/persist/doc-store'
import { CoalescedWriter } from '../../../electron/engine/persist/coalesced-writer'
import { tempDir } from '../../helpers/temp-dir'
import { waitFor } from '../../helpers/wait-for'

describe('CoalescedWriter', () => {
  const dirs: Array<{ cleanup: () => void }> = []
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  async function setup(flushIntervalMs = 60_000) {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir.path, 'x.db')
    const store = await DocStore.open<{ n: number }>(file)
    const writer = new CoalescedWriter(store, { flushIntervalMs, commitDelayMs: 1 })
    return { file, store, writer }
  }

  it('writes many changes of one record as one line', async () => {
    const { file, writer, store } = await setup()
    let n = 0
    for (let i = 0; i < 1000; i++) {
      n = i
      writer.mark('a', () => ({ n }))
    }
    await writer.durable()
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1)
    expect(await store.all()).toEqual([{ id: 'a', value: { n: 999 } }])
    expect(writer.stats()).toMatchObject({ flushes: 1, recordsWritten: 1, pending: 0 })
    await writer.close()
  })

  it('calls back durability waiters only after the write, and at once when nothing is pending', async () => {
    const { writer, store } = await setup()
    let called = false
    writer.whenDurable(() => (called = true))
    expect(called).toBe(true)
    writer.mark('b', () => ({ n: 1 }))
    let durable = false
    writer.whenDurable(() => (durable = true))
    expect(durable).toBe(false)
    // A later waiter is answered by the same write, after the earlier one.
    await writer.durable()
    expect(durable).toBe(true)
    expect(writer.stats()).toMatchObject({ flushes: 1, pending: 0 })
    expect((await store.all()).map((r) => r.id)).toEqual(['b'])
    await writer.close()
  })

  it('deletes a record marked with null and survives a reopen', async () => {
    const { file, writer, store } = await setup()
    writer.mark('a', () => ({ n: 1 }))
    writer.mark('b', () => ({ n: 2 }))
    await writer.durable()
    writer.mark('a', () => null)
    await writer.durable()
    await writer.close()
    await store.close()
    const again = await DocStore.open<{ n: number }>(file)
    expect(await again.all()).toEqual([{ id: 'b', value: { n: 2 } }])
  })

  it('flushes on its own within the flush interval', async () => {
    const { writer, store } = await setup(20)
    writer.mark('c', () => ({ n: 3 }))
    // Nobody waits for durability: the flush timer alone writes it.
    expect(writer.stats()).toMatchObject({ flushes: 0, pending: 1, waiting: 0 })
    await waitFor(() => writer.stats().flushes === 1, 'the timed flush')
    expect(await store.all()).toEqual([{ id: 'c', value: { n: 3 } }])
    expect(writer.stats()).toMatchObject({ flushes: 1, pending: 0 })
    await writer.close()
  })
})
