import { describe, expect, it } from 'vitest'
import { AckWindow } from '../../../electron/engine/broker/ack-window'

/** A window whose PUBACKs and releases are recorded in one list, in the order they happen. */
function recorded(limit?: number): { window: AckWindow; events: string[] } {
  const events: string[] = []
  const window = new AckWindow((id) => events.push(`puback ${id}`), limit)
  return { window, events }
}

describe('AckWindow', () => {
  it('sends the PUBACKs in arrival order, whatever the order in which deliveries become durable', () => {
    const { window, events } = recorded()
    const durable = [1, 2, 3, 4].map((id) => window.add(id, () => events.push(`release ${id}`)))
    durable[2]!()
    durable[1]!()
    expect(events).toEqual([])
    expect(window.size).toBe(4)
    durable[0]!()
    expect(events).toEqual(['release 1', 'puback 1', 'release 2', 'puback 2', 'release 3', 'puback 3'])
    expect(window.size).toBe(1)
    durable[3]!()
    expect(events.slice(-2)).toEqual(['release 4', 'puback 4'])
    expect(window.size).toBe(0)
  })

  it('ignores a second call for the same delivery', () => {
    const { window, events } = recorded()
    const first = window.add(7, () => {})
    const second = window.add(8, () => {})
    first()
    first()
    expect(events).toEqual(['puback 7'])
    second()
    expect(events).toEqual(['puback 7', 'puback 8'])
  })

  it('holds the next read while the window is full, and resumes it once a PUBACK frees a place', () => {
    const { window } = recorded(2)
    let reads = 0
    const a = window.add(1, () => {})
    window.whenRoom(() => reads++)
    const b = window.add(2, () => {})
    window.whenRoom(() => reads++)
    expect(reads).toBe(1)
    // Durable but behind the first: still waiting, still full.
    b()
    expect(reads).toBe(1)
    a()
    expect(reads).toBe(2)
    expect(window.size).toBe(0)
  })

  it('keeps working past many deliveries (its list is compacted)', () => {
    const { window, events } = recorded()
    for (let id = 1; id <= 5000; id++) window.add(id, () => {})()
    expect(events).toHaveLength(5000)
    expect(events.at(-1)).toBe('puback 5000')
    expect(window.size).toBe(0)
  })
})
