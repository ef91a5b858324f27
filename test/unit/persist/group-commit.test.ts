import { describe, expect, it } from 'vitest'
import { GroupCommit, type Durable } from '../../../electron/engine/persist/group-commit'

/** An owner whose writes the test completes or fails by hand: no timing involved. */
function owner(opts: { confirm?: (cb: Durable) => void } = {}) {
  let pending = 0
  const writes: Array<{ count: number; settle: (err?: Error) => void }> = []
  const commit = new GroupCommit(
    {
      unwritten: () => pending > 0,
      write: () => {
        const count = pending
        pending = 0
        // Nothing to write: done at once, as the real owners do.
        if (count === 0) return Promise.resolve()
        return new Promise<void>((resolve, reject) => {
          writes.push({
            count,
            settle: (err) => {
              if (err) {
                pending += count
                reject(err)
              } else resolve()
            }
          })
        })
      },
      ...opts
    },
    { flushIntervalMs: 60_000, commitDelayMs: 0 }
  )
  return {
    commit,
    writes,
    change: () => {
      pending++
      commit.changed()
    }
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r))
}

describe('GroupCommit', () => {
  it('answers at once when nothing is unwritten, else after the one write that serves every waiter', async () => {
    const { commit, writes, change } = owner()
    const answers: Array<string | undefined> = []
    commit.whenDurable((err) => answers.push(err?.message ?? 'now'))
    expect(answers).toEqual(['now'])

    change()
    change()
    commit.whenDurable((err) => answers.push(err?.message ?? 'a'))
    commit.whenDurable((err) => answers.push(err?.message ?? 'b'))
    await until(() => writes.length === 1)
    expect(writes[0]!.count).toBe(2)
    expect(answers).toEqual(['now'])
    writes[0]!.settle()
    await until(() => answers.length === 3)
    expect(answers).toEqual(['now', 'a', 'b'])
    await commit.close()
  })

  it('fails the waiters of a failed write and writes the same changes again', async () => {
    const { commit, writes, change } = owner()
    change()
    const first = commit.durable()
    await until(() => writes.length === 1)
    writes[0]!.settle(new Error('disk full'))
    await expect(first).rejects.toThrow('disk full')

    const second = commit.durable()
    await until(() => writes.length === 2)
    expect(writes[1]!.count).toBe(1)
    writes[1]!.settle()
    await second
    await commit.close()
    expect(writes).toHaveLength(2)
  })

  it('never lets two writes overlap', async () => {
    const { commit, writes, change } = owner()
    change()
    const a = commit.flush()
    change()
    const b = commit.flush()
    // A flush starts its write at the call unless one is running: the second one waits.
    expect(writes.map((w) => w.count)).toEqual([1])
    writes[0]!.settle()
    await a
    await until(() => writes.length === 2)
    expect(writes[1]!.count).toBe(1)
    writes[1]!.settle()
    await b
    await commit.close()
  })

  it('lets the owner hold back the answer to a waiter (the Outbox while nearly full)', async () => {
    const held: Durable[] = []
    const { commit, writes, change } = owner({ confirm: (cb) => held.push(cb) })
    change()
    let answered = false
    commit.whenDurable(() => (answered = true))
    await until(() => writes.length === 1)
    writes[0]!.settle()
    await until(() => held.length === 1)
    expect(answered).toBe(false)
    held[0]!()
    expect(answered).toBe(true)
  })
})
