import { afterEach, describe, expect, it } from 'vitest'
import { Outbox } from '../../../electron/engine/context/external/outbox'
import { tempDir } from '../../helpers/temp-dir'

describe('Outbox back-pressure', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it('holds durability confirmations while the queue is over 80 % full and releases them under 60 %', async () => {
    const dir = tempDir('ulcc-outbox-')
    dirs.push(dir)
    const box = await Outbox.open(dir.path, { maxUpdates: 10, maxBytes: 1 << 20, flushIntervalMs: 5, commitDelayMs: 1 })
    const lane = box.lane({ service: 'openiot', servicePath: '/' })
    for (let i = 0; i < 5; i++) box.push(lane, `{"id":"E${i}"}`, 10)
    await box.durable() // half full: confirmed as soon as it is on disk

    for (let i = 5; i < 9; i++) box.push(lane, `{"id":"E${i}"}`, 10)
    let confirmed = false
    box.whenDurable(() => (confirmed = true))
    const writes = box.counters.writes
    // Barrier: a flush waits for any write under way and writes the rest, and the callback is
    // confirmed or held when its write completes, before the flush resolves.
    await box.flush()
    // 9 of 10: on disk, but not confirmed (the device waits for its PUBACK).
    expect(box.counters.writes).toBeGreaterThan(writes)
    expect(confirmed).toBe(false)

    // Orion takes 4: 5 left, under 60 %.
    box.done(box.take(lane, 4, 1 << 20))
    expect(confirmed).toBe(true)
    expect(box.counters.dropped).toBe(0)
    await box.close()
  })
})
