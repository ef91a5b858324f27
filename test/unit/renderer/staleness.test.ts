import { describe, expect, it } from 'vitest'
import { formatSilence, measuredInterval, staleness } from '../../../renderer/src/services/staleness'

describe('the interval of a device', () => {
  it('is measured from its points: the median of the latest gaps', () => {
    expect(measuredInterval([0, 1000, 2000, 3000])).toBe(1000)
    // One late and one doubled measure do not move it.
    expect(measuredInterval([0, 1000, 2000, 5000, 5010, 6000, 7000])).toBe(1000)
    expect(measuredInterval([0, 300, 700])).toBe(350)
  })

  it('looks only at the latest gaps, so that a device that changed its interval is followed', () => {
    const times = [0, 10_000, 20_000, 30_000]
    for (let i = 1; i <= 10; i++) times.push(30_000 + i * 500)
    expect(measuredInterval(times)).toBe(500)
  })

  it('is unknown with fewer than two gaps', () => {
    expect(measuredInterval([])).toBeNull()
    expect(measuredInterval([5])).toBeNull()
    expect(measuredInterval([5, 10])).toBeNull()
    expect(measuredInterval([5, 5, 5])).toBeNull()
  })
})

describe('a stale device', () => {
  const times = [1000, 1300, 1600, 1900]

  it('is one silent for more than three of its intervals', () => {
    expect(staleness(times, 1900 + 900)).toBeNull()
    expect(staleness(times, 1900 + 901)).toEqual({ intervalMs: 300, silentMs: 901 })
  })

  it('is never declared without a measured interval', () => {
    expect(staleness([1000, 1300], 1_000_000)).toBeNull()
  })

  it('is no longer stale when a point arrives', () => {
    expect(staleness(times, 5000)).not.toBeNull()
    expect(staleness([...times, 4990], 5000)).toBeNull()
  })

  it('is told in seconds, minutes or hours', () => {
    expect(formatSilence(42_400, 'pt-BR')).toBe('42 s')
    expect(formatSilence(119_999, 'en')).toBe('119 s')
    expect(formatSilence(300_000, 'en')).toBe('5 min')
    expect(formatSilence(3 * 3_600_000 + 5, 'en')).toBe('3 h')
  })
})
