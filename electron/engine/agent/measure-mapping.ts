import type { EntityUpdate, NgsiAttribute, NgsiMetadata } from '../context/types'
import type { EffectiveDevice, MappedAttribute } from './effective-device'

/** A measure the pipeline could not map; the whole message is rejected and counted. */
export class MappingError extends Error {
  constructor(
    readonly code: 'BAD_TIMESTAMP',
    message: string
  ) {
    super(message)
    this.name = 'MappingError'
  }
}

/** `<cmd>_status` / `<cmd>_info` reported by a device as ordinary measures (the seed's dummy device does). */
export interface CommandReport {
  command: string
  status?: unknown
  info?: unknown
}

export interface MappedMeasures {
  /** The device's entity first, then other entities of multi-entity attributes. */
  updates: EntityUpdate[]
  /** Value of TimeInstant when the device uses timestamps (for ordering batches). */
  timeInstant?: string
  commandReports: CommandReport[]
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/

/** Strict ISO-8601 check, as the library applies to TimeInstant before sending anything. */
export function isIso8601(value: unknown): value is string {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value))
}

function withTimeInstant(metadata: Record<string, NgsiMetadata> | undefined, t: string | undefined): Record<string, NgsiMetadata> | undefined {
  if (t === undefined) return metadata
  return { ...metadata, TimeInstant: { type: 'DateTime', value: t } }
}

function attribute(type: string, value: unknown, metadata: Record<string, NgsiMetadata> | undefined): NgsiAttribute {
  return metadata ? { type, value, metadata } : { type, value }
}

/**
 * Maps one UltraLight measure group to NGSI-v2 entity updates (spec §4.3–§4.6): static attributes
 * first, then provisioned attributes in provisioning order, then un-mapped keys in payload order
 * (type `Text`, or the type of a provisioned attribute of that name), then TimeInstant.
 */
export function mapMeasures(dev: EffectiveDevice, values: Map<string, unknown>, timestamp: string | undefined, now: () => string): MappedMeasures {
  let t: string | undefined
  if (dev.timestamp) {
    // The group's timestamp prefix wins over a key named TimeInstant, as in the reference parser.
    const given = timestamp ?? values.get('TimeInstant')
    if (given !== undefined) {
      if (!isIso8601(given)) throw new MappingError('BAD_TIMESTAMP', `TimeInstant "${String(given)}" is not an ISO 8601 date`)
      t = given
    } else t = now()
  }

  const mapped: Array<[MappedAttribute, unknown]> = []
  const unmapped: Array<[string, NgsiAttribute]> = []
  const commandReports: CommandReport[] = []
  const reports = new Map<string, CommandReport>()

  const all: Iterable<[string, unknown]> =
    !dev.timestamp && timestamp !== undefined && !values.has('TimeInstant') ? [...values, ['TimeInstant', timestamp]] : values

  for (const [key, value] of all) {
    if (dev.timestamp && key === 'TimeInstant') continue
    const m = dev.byObjectId.get(key)
    if (m) {
      // A provisioned attribute whose value is null is skipped (the library's default skipValue).
      if (value !== null) mapped.push([m, value])
      continue
    }
    const cmd = dev.commandStatusKeys.get(key)
    if (cmd) {
      let r = reports.get(cmd.command)
      if (!r) reports.set(cmd.command, (r = { command: cmd.command }))
      r[cmd.field] = value
      unmapped.push([key, attribute(cmd.field === 'status' ? 'commandStatus' : 'commandResult', value, withTimeInstant(undefined, t))])
      continue
    }
    if (dev.explicitAttrs) continue
    const name = key === 'id' ? 'measure_id' : key === 'type' ? 'measure_type' : key
    const type = dev.byName.get(name)?.type ?? (name === 'TimeInstant' ? 'DateTime' : 'Text')
    unmapped.push([name, attribute(type, value, withTimeInstant(undefined, t))])
  }
  for (const r of reports.values()) commandReports.push(r)

  const main: EntityUpdate = { id: dev.entityId, type: dev.entityType, attrs: {} }
  const others = new Map<string, EntityUpdate>()
  for (const s of dev.statics) main.attrs[s.name] = attribute(s.type, s.value, withTimeInstant(s.metadata, t))
  if (mapped.length > 1) mapped.sort((a, b) => a[0].order - b[0].order)
  for (const [m, value] of mapped) {
    const attr = attribute(m.type, value, withTimeInstant(m.metadata, t))
    if (m.entityName) {
      const type = m.entityType ?? dev.entityType
      const key = `${m.entityName}\u0000${type}`
      let u = others.get(key)
      if (!u) others.set(key, (u = { id: m.entityName, type, attrs: {} }))
      u.attrs[m.name] = attr
    } else main.attrs[m.name] = attr
  }
  for (const [name, attr] of unmapped) main.attrs[name] = attr
  if (t !== undefined) {
    main.attrs.TimeInstant = { type: 'DateTime', value: t }
    for (const u of others.values()) u.attrs.TimeInstant = { type: 'DateTime', value: t }
  }

  const updates: EntityUpdate[] = []
  // Nothing but id/type left: no request (spec §4.1).
  if (Object.keys(main.attrs).length > 0) updates.push(main)
  for (const u of others.values()) updates.push(u)
  return { updates, timeInstant: t, commandReports }
}

/** Status/info attributes of a command, with the device's static attributes (spec §5.4, §5.6). */
export function commandStatusUpdate(dev: EffectiveDevice, command: string, status: string, info: unknown, now: () => string): EntityUpdate {
  const t = dev.timestamp ? now() : undefined
  const attrs: Record<string, NgsiAttribute> = {}
  for (const s of dev.statics) attrs[s.name] = attribute(s.type, s.value, withTimeInstant(s.metadata, t))
  attrs[`${command}_status`] = attribute('commandStatus', status, withTimeInstant(undefined, t))
  if (info !== undefined) attrs[`${command}_info`] = attribute('commandResult', info, withTimeInstant(undefined, t))
  if (t !== undefined) attrs.TimeInstant = { type: 'DateTime', value: t }
  return { id: dev.entityId, type: dev.entityType, attrs }
}
