import { describe, expect, it } from 'vitest'
import { formatRate } from '../../../renderer/src/services/format'
import { RateWindow, ZERO_RATES, type Rates } from '../../../renderer/src/services/rates'

describe('rates as the overview shows them', () => {
  it('one decimal below 10/s, in the language’s decimals; whole numbers from 10/s', () => {
    expect(formatRate(0.2, 'pt-BR')).toBe('0,2')
    expect(formatRate(0.2, 'en')).toBe('0.2')
    expect(formatRate(2, 'pt-BR')).toBe('2,0')
    expect(formatRate(9.94, 'en')).toBe('9.9')
    expect(formatRate(9.96, 'en')).toBe('10')
    expect(formatRate(12.4, 'pt-BR')).toBe('12')
    expect(formatRate(1234.5, 'en')).toBe('1,235')
  })

  it('nothing reads 0, a trickle never reads 0', () => {
    expect(formatRate(0, 'en')).toBe('0')
    expect(formatRate(0.01, 'en')).toBe('< 0.1')
    expect(formatRate(0.01, 'pt-BR')).toBe('< 0,1')
  })

  it('one message every five seconds reads 0.2/s over the window, not 0 or 1', () => {
    const w = new RateWindow(10_000)
    const at = (messages: number): Rates => ({ ...ZERO_RATES, messages })
    let r = w.add(0, at(0))
    expect(r.messages).toBe(0)
    // A status a second; a message at 2 s, 7 s, 12 s, 17 s.
    let count = 0
    for (let s = 1; s <= 20; s++) {
      if (s % 5 === 2) count++
      r = w.add(s * 1000, at(count))
    }
    expect(r.messages).toBeCloseTo(0.2, 5)
    expect(formatRate(r.messages, 'pt-BR')).toBe('0,2')
  })

  it('counters that start again (a new engine) never give a negative rate, and a reset forgets the old engine', () => {
    const w = new RateWindow(10_000)
    w.add(0, { ...ZERO_RATES, measures: 500 })
    expect(w.add(1000, { ...ZERO_RATES, measures: 3 }).measures).toBe(0)
    w.reset()
    w.add(2000, { ...ZERO_RATES, measures: 3 })
    expect(w.add(3000, { ...ZERO_RATES, measures: 5 }).measures).toBe(2)
  })
})
