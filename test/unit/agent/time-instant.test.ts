import { describe, expect, it } from 'vitest'
import { timeInstant, zoneOf } from '../../../electron/engine/agent/time-instant'

describe('TimeInstant written by the agent (docs/compatibility/iot-agent-ul.md §4.5)', () => {
  const at = new Date('2026-07-15T12:34:56.789Z')

  it('without a time zone: UTC, as toISOString', () => {
    expect(timeInstant(at)).toBe('2026-07-15T12:34:56.789Z')
    expect(timeInstant(at, '')).toBe('2026-07-15T12:34:56.789Z')
  })

  it('with a device time zone: that zone’s local time and its offset, daylight saving included', () => {
    expect(timeInstant(at, 'America/Sao_Paulo')).toBe('2026-07-15T09:34:56.789-03:00')
    expect(timeInstant(at, 'Europe/Madrid')).toBe('2026-07-15T14:34:56.789+02:00')
    expect(timeInstant(new Date('2026-01-15T12:34:56.789Z'), 'Europe/Madrid')).toBe('2026-01-15T13:34:56.789+01:00')
    expect(timeInstant(at, 'Asia/Kathmandu')).toBe('2026-07-15T18:19:56.789+05:45')
    expect(timeInstant(at, 'UTC')).toBe('2026-07-15T12:34:56.789+00:00')
    // Midnight crossing: the local date is the next day.
    expect(timeInstant(new Date('2026-07-15T23:30:00.000Z'), 'Asia/Tokyo')).toBe('2026-07-16T08:30:00.000+09:00')
  })

  it('an unknown zone name: UTC written with +00:00, as the reference', () => {
    expect(timeInstant(at, 'Mars/Olympus_Mons')).toBe('2026-07-15T12:34:56.789+00:00')
  })

  it('the device’s zone, else its group’s', () => {
    expect(zoneOf({ device: { timezone: 'Europe/Lisbon' }, group: { timezone: 'America/Recife' } })).toBe('Europe/Lisbon')
    expect(zoneOf({ device: {}, group: { timezone: 'America/Recife' } })).toBe('America/Recife')
    expect(zoneOf({ device: { timezone: '' } })).toBeUndefined()
  })
})
