import { describe, expect, it } from 'vitest'
import { MessageBuffer } from '../../../renderer/src/services/message-buffer'

const msgs = (...seqs: number[]): Array<{ seq: number }> => seqs.map((seq) => ({ seq }))
const seqs = (list: Array<{ seq: number }>): number[] => list.map((m) => m.seq)

describe('the inspector log buffer', () => {
  it('starts where the engine is, and counts what a batch skipped as missing, never dropping it silently', () => {
    const b = new MessageBuffer(100, 10)
    b.accept(msgs(41, 42), 42)
    expect(seqs(b.log)).toEqual([41, 42])
    expect(b.missingCount).toBe(0)
    // The engine sent the newest of a busy period: 43–45 were skipped.
    b.accept(msgs(46, 47), 47)
    expect(b.missingCount).toBe(3)
    expect(b.missingRanges).toEqual([[43, 45]])
    // Messages recorded after the batch was cut are missing until the next batch brings them.
    b.accept([], 49)
    expect(b.missingRanges).toEqual([
      [43, 45],
      [48, 49]
    ])
    b.accept(msgs(48, 49, 50), 50)
    expect(b.missingRanges).toEqual([[43, 45]])
    expect(seqs(b.log)).toEqual([41, 42, 46, 47, 48, 49, 50])
  })

  it('fills a missing range from the engine, in order, and counts what the engine no longer has as lost', () => {
    const b = new MessageBuffer(100, 10)
    b.accept(msgs(1), 1)
    b.accept(msgs(10), 10)
    expect(b.missingCount).toBe(8)
    b.fill([2, 9], msgs(5, 6, 7, 8, 9))
    expect(seqs(b.log)).toEqual([1, 5, 6, 7, 8, 9, 10])
    expect(b.missingCount).toBe(0)
    expect(b.lost).toBe(3)
  })

  it('fills a window spanning several gaps in one go, merging in order', () => {
    const b = new MessageBuffer(100, 10)
    b.accept(msgs(1), 1)
    b.accept(msgs(5), 5)
    b.accept(msgs(9), 9)
    expect(b.missingRanges).toEqual([
      [2, 4],
      [6, 8]
    ])
    b.fill([2, 8], msgs(2, 3, 4, 5, 6, 7, 8))
    expect(seqs(b.log)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect([b.missingCount, b.lost]).toEqual([0, 0])
  })

  it('gives up on gaps the engine no longer has (lost) or the view would not keep (trimmed)', () => {
    const b = new MessageBuffer(100, 10)
    b.accept(msgs(1), 1)
    b.accept(msgs(50), 50)
    b.accept(msgs(100), 100)
    // The engine still has 30 onwards; the view keeps the newest 100 - 60 + 1.
    b.discardMissingBefore(60, 30)
    expect(b.missingRanges).toEqual([[60, 99]])
    expect([b.lost, b.trimmed]).toEqual([28, 29])
  })

  it('holds messages while paused, up to its limit, then counts the rest as missing', () => {
    const b = new MessageBuffer(100, 3)
    b.accept(msgs(1, 2), 2)
    b.pause()
    b.accept(msgs(3, 4, 5, 6, 7), 7)
    expect(seqs(b.log)).toEqual([1, 2])
    expect(seqs(b.held)).toEqual([3, 4, 5])
    expect(b.missingRanges).toEqual([[6, 7]])
    b.resume()
    expect(seqs(b.log)).toEqual([1, 2, 3, 4, 5])
    expect(b.held).toEqual([])
    b.fill([6, 7], msgs(6, 7))
    expect(seqs(b.log)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('keeps the view bounded and says how many older messages it removed', () => {
    const b = new MessageBuffer(5, 5)
    b.accept(msgs(1, 2, 3, 4, 5, 6, 7), 7)
    expect(seqs(b.log)).toEqual([3, 4, 5, 6, 7])
    expect(b.trimmed).toBe(2)
  })

  it('merges the initial history before the live messages without counting gaps', () => {
    const b = new MessageBuffer(100, 10)
    b.accept(msgs(20, 21), 21)
    b.seed(msgs(15, 16, 17, 18, 19, 20))
    expect(seqs(b.log)).toEqual([15, 16, 17, 18, 19, 20, 21])
    expect(b.missingCount).toBe(0)
  })

  it('ignores a message it already has', () => {
    const b = new MessageBuffer(100, 10)
    b.accept(msgs(1, 2, 3), 3)
    b.accept(msgs(2, 3), 3)
    expect(seqs(b.log)).toEqual([1, 2, 3])
  })
})
