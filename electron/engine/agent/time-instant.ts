/**
 * The TimeInstant the agent writes when a device sends none (docs/compatibility/iot-agent-ul.md
 * §4.5): the server's time as UTC ISO 8601 (`…Z`), or, for a device (else its group) with a
 * `timezone`, the same instant as that zone's local time with its offset,
 * `YYYY-MM-DDTHH:mm:ss.SSS±hh:mm`, as iotagent-node-lib writes it. A zone name the time-zone
 * database does not know gives UTC written with `+00:00`, as the reference's moment-timezone does.
 */

/** One formatter per zone name; null for a name the time-zone database does not know. Bounded. */
const formatters = new Map<string, Intl.DateTimeFormat | null>()
const MAX_ZONES = 256

function formatterOf(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone)
  if (f !== undefined) return f
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit'
    })
  } catch {
    f = null
  }
  if (formatters.size >= MAX_ZONES) formatters.clear()
  formatters.set(zone, f)
  return f
}

/** The time zone of a device: its own, else its group's (undefined: UTC). */
export function zoneOf(dev: { device: { timezone?: string }; group?: { timezone?: string } }): string | undefined {
  return dev.device.timezone || dev.group?.timezone || undefined
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** The instant `now` as the agent writes TimeInstant for a device in `timezone` (none: UTC, `Z`). */
export function timeInstant(now: Date, timezone?: string): string {
  if (!timezone) return now.toISOString()
  const f = formatterOf(timezone)
  const ms = now.getUTCMilliseconds()
  if (!f) return `${now.toISOString().slice(0, 23)}+00:00`
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(now)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const local = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second, ms)
  const offset = Math.round((local - now.getTime()) / 60_000)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${pad(p.year!, 4)}-${pad(p.month!)}-${pad(p.day!)}T${pad(p.hour!)}:${pad(p.minute!)}:${pad(p.second!)}.${pad(ms, 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
