import type { UlGroup } from '../../../electron/engine/ultralight'

/**
 * Converts parsed groups to the plain objects printed by the reference parser in docs/compatibility/iot-agent-ul.md §2.1, so
 * the verified examples can be compared verbatim: a measure group is an object of its values plus
 * `TimeInstant` for the timestamp prefix; a command line keeps deviceId/command/value|params.
 */
export function toReferenceShape(groups: UlGroup[]): Record<string, unknown>[] {
  return groups.map((g) => {
    if (g.kind === 'measures') {
      const out: Record<string, unknown> = Object.fromEntries(g.values)
      if (g.timestamp !== undefined) out.TimeInstant = g.timestamp
      return out
    }
    const out: Record<string, unknown> = { deviceId: g.deviceId, command: g.command }
    if ('value' in g) out.value = g.value
    if (g.params !== undefined) out.params = { ...g.params }
    return out
  })
}
