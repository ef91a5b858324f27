/**
 * Provisioning forms as plain data: the form models, their validation (problems as translation
 * keys, so the words are plain and in the user's language), and the IoT Agent JSON they stand for.
 * Pure functions, unit-tested in test/unit/renderer.
 */
import type { DeviceDto, DeviceInputDto, DevicePatchDto, GroupDto, GroupInputDto, GroupPatchDto } from '../../../shared/contract'
import type { MessageKey } from '../i18n'

export interface AttributeRow {
  object_id: string
  name: string
  type: string
}
export interface CommandRow {
  name: string
  type: string
}
export interface StaticRow {
  name: string
  type: string
  value: string
}

export interface GroupForm {
  apikey: string
  resource: string
  entity_type: string
  autoprovision: boolean
  attributes: AttributeRow[]
  commands: CommandRow[]
  static_attributes: StaticRow[]
}

export interface DeviceForm {
  device_id: string
  entity_name: string
  entity_type: string
  transport: string
  /** Where the agent pushes commands to an HTTP device; empty: commands wait for the device to poll. */
  endpoint: string
  protocol: string
  apikey: string
  attributes: AttributeRow[]
  commands: CommandRow[]
  static_attributes: StaticRow[]
}

export interface Problem {
  /** Field path, e.g. `apikey` or `attributes.1.type`. */
  field: string
  key: MessageKey
  params?: Record<string, string | number>
}

export function emptyGroup(): GroupForm {
  return { apikey: '', resource: '', entity_type: '', autoprovision: true, attributes: [], commands: [], static_attributes: [] }
}

export function emptyDevice(): DeviceForm {
  return { device_id: '', entity_name: '', entity_type: '', transport: 'MQTT', endpoint: '', protocol: '', apikey: '', attributes: [], commands: [], static_attributes: [] }
}

/** A random API key like the tutorial's (26 lower-case letters and digits). */
export function generateApiKey(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(random(26), (b) => alphabet[b % alphabet.length]).join('')
}

// ------------------------------------------------------------------------------ validation

/** Characters FIWARE refuses in attribute names, object ids and types. */
const FORBIDDEN = /[<>();'="]/
/** An MQTT topic segment and an UltraLight token: no separators. */
const TOPIC_UNSAFE = /[\s/#+]/
const DEVICE_UNSAFE = /[\s/#+@|]/

function checkRows(form: { attributes: AttributeRow[]; commands: CommandRow[]; static_attributes: StaticRow[] }, out: Problem[]): void {
  const ids = new Set<string>()
  const names = new Set<string>()
  form.attributes.forEach((a, i) => {
    const id = a.object_id.trim()
    const name = a.name.trim()
    if (!id && !name) out.push({ field: `attributes.${i}.name`, key: 'form.problem.attributeNeedsName' })
    for (const [f, v] of [['object_id', id], ['name', name], ['type', a.type.trim()]] as const) {
      if (FORBIDDEN.test(v)) out.push({ field: `attributes.${i}.${f}`, key: 'form.problem.forbiddenChars' })
    }
    if (!a.type.trim()) out.push({ field: `attributes.${i}.type`, key: 'form.problem.typeRequired' })
    const key = id || name
    if (key && ids.has(key)) out.push({ field: `attributes.${i}.object_id`, key: 'form.problem.duplicateObjectId', params: { id: key } })
    if (key) ids.add(key)
    const n = name || id
    if (n && names.has(n)) out.push({ field: `attributes.${i}.name`, key: 'form.problem.duplicateName', params: { name: n } })
    if (n) names.add(n)
  })
  form.commands.forEach((c, i) => {
    const name = c.name.trim()
    if (!name) out.push({ field: `commands.${i}.name`, key: 'form.problem.commandNeedsName' })
    else if (FORBIDDEN.test(name) || /[\s@|]/.test(name)) out.push({ field: `commands.${i}.name`, key: 'form.problem.commandChars' })
    if (name && names.has(name)) out.push({ field: `commands.${i}.name`, key: 'form.problem.duplicateName', params: { name } })
    if (name) names.add(name)
  })
  form.static_attributes.forEach((s, i) => {
    const name = s.name.trim()
    if (!name) out.push({ field: `static_attributes.${i}.name`, key: 'form.problem.staticNeedsName' })
    if (!s.type.trim()) out.push({ field: `static_attributes.${i}.type`, key: 'form.problem.typeRequired' })
    if (name && names.has(name)) out.push({ field: `static_attributes.${i}.name`, key: 'form.problem.duplicateName', params: { name } })
    if (name) names.add(name)
    const parsed = staticValue(s)
    if (parsed.problem) out.push({ field: `static_attributes.${i}.value`, key: parsed.problem })
  })
}

export function validateGroup(form: GroupForm): Problem[] {
  const out: Problem[] = []
  const apikey = form.apikey.trim()
  if (!apikey) out.push({ field: 'apikey', key: 'form.problem.apikeyRequired' })
  else if (TOPIC_UNSAFE.test(apikey)) out.push({ field: 'apikey', key: 'form.problem.apikeyChars' })
  if (!form.entity_type.trim()) out.push({ field: 'entity_type', key: 'form.problem.entityTypeRequired' })
  else if (FORBIDDEN.test(form.entity_type)) out.push({ field: 'entity_type', key: 'form.problem.forbiddenChars' })
  checkRows(form, out)
  return out
}

export function validateDevice(form: DeviceForm): Problem[] {
  const out: Problem[] = []
  const id = form.device_id.trim()
  if (!id) out.push({ field: 'device_id', key: 'form.problem.deviceIdRequired' })
  else if (DEVICE_UNSAFE.test(id)) out.push({ field: 'device_id', key: 'form.problem.deviceIdChars' })
  if (form.entity_type && FORBIDDEN.test(form.entity_type)) out.push({ field: 'entity_type', key: 'form.problem.forbiddenChars' })
  if (form.apikey && TOPIC_UNSAFE.test(form.apikey.trim())) out.push({ field: 'apikey', key: 'form.problem.apikeyChars' })
  const endpoint = sentEndpoint(form)
  if (endpoint && !isHttpUrl(endpoint)) out.push({ field: 'endpoint', key: 'form.problem.endpointUrl' })
  checkRows(form, out)
  return out
}

/** The endpoint the device item carries: only an HTTP device has one (an MQTT device gets its commands on its topic). */
function sentEndpoint(form: DeviceForm): string {
  return form.transport.trim() === 'HTTP' ? form.endpoint.trim() : ''
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
  } catch {
    return false
  }
}

// ------------------------------------------------------------------------------ JSON bodies

const NUMERIC_TYPES = new Set(['number', 'integer', 'float', 'double'])

/** A static attribute's value as JSON: numbers for numeric types, booleans, JSON for structures. */
export function staticValue(row: StaticRow): { value: unknown; problem?: MessageKey } {
  const type = row.type.trim().toLowerCase()
  const raw = row.value
  if (NUMERIC_TYPES.has(type)) {
    const n = Number(raw.trim())
    if (raw.trim() === '' || !Number.isFinite(n)) return { value: raw, problem: 'form.problem.notANumber' }
    return { value: n }
  }
  if (type === 'boolean') {
    const v = raw.trim().toLowerCase()
    if (v !== 'true' && v !== 'false') return { value: raw, problem: 'form.problem.notABoolean' }
    return { value: v === 'true' }
  }
  if (type === 'structuredvalue' || type === 'geo:json' || type === 'object' || type === 'array') {
    try {
      return { value: JSON.parse(raw) as unknown }
    } catch {
      return { value: raw, problem: 'form.problem.notJson' }
    }
  }
  return { value: raw }
}

function attributeItems(rows: AttributeRow[]): NonNullable<GroupInputDto['attributes']> {
  return rows.map((a) => {
    const objectId = a.object_id.trim()
    const name = a.name.trim()
    return { ...(objectId ? { object_id: objectId } : {}), ...(name ? { name } : {}), type: a.type.trim() }
  })
}

type ItemLists = Pick<GroupInputDto, 'attributes' | 'commands' | 'static_attributes'>

function itemLists(form: { attributes: AttributeRow[]; commands: CommandRow[]; static_attributes: StaticRow[] }): ItemLists {
  const out: ItemLists = {}
  if (form.attributes.length) out.attributes = attributeItems(form.attributes)
  if (form.commands.length) out.commands = form.commands.map((c) => ({ name: c.name.trim(), type: c.type.trim() || 'command' }))
  if (form.static_attributes.length) {
    out.static_attributes = form.static_attributes.map((s) => ({ name: s.name.trim(), type: s.type.trim(), value: staticValue(s).value }))
  }
  return out
}

/** The group as one item of `POST /iot/services` (`{"services":[item]}`). */
export function groupItem(form: GroupForm): GroupInputDto & { apikey: string; resource: string } {
  const item: GroupInputDto & { apikey: string; resource: string } = { apikey: form.apikey.trim(), entity_type: form.entity_type.trim(), resource: form.resource.trim() }
  if (!form.autoprovision) item.autoprovision = false
  return { ...item, ...itemLists(form) }
}

/** The device as one item of `POST /iot/devices`, in the order the tutorial writes it. */
export function deviceItem(form: DeviceForm): DeviceInputDto {
  const item: DeviceInputDto = { device_id: form.device_id.trim() }
  if (form.entity_name.trim()) item.entity_name = form.entity_name.trim()
  if (form.entity_type.trim()) item.entity_type = form.entity_type.trim()
  if (form.apikey.trim()) item.apikey = form.apikey.trim()
  if (form.protocol.trim()) item.protocol = form.protocol.trim()
  if (form.transport.trim()) item.transport = form.transport.trim()
  const endpoint = sentEndpoint(form)
  if (endpoint) item.endpoint = endpoint
  return { ...item, ...itemLists(form) }
}

/** What a device PUT may carry: the item without `device_id` (FIWARE refuses it). */
export function devicePatch(form: DeviceForm): DevicePatchDto {
  const { device_id: _id, protocol: _p, ...rest } = deviceItem(form)
  void _id
  void _p
  rest.attributes ??= []
  rest.commands ??= []
  rest.static_attributes ??= []
  return rest
}

/** What a group PUT carries: every field but its identity (resource, apikey). */
export function groupPatch(form: GroupForm): GroupPatchDto {
  const { apikey: _a, resource: _r, ...rest } = groupItem(form)
  void _a
  void _r
  rest.autoprovision = form.autoprovision
  return rest
}

// ------------------------------------------------------------------------------ records → forms

function rowsFrom(record: GroupDto | DeviceDto): Pick<DeviceForm, 'attributes' | 'commands' | 'static_attributes'> {
  return {
    attributes: (record.attributes ?? []).map((a) => ({ object_id: a.object_id ?? '', name: a.name, type: a.type })),
    commands: (record.commands ?? []).map((c) => ({ name: c.name, type: c.type || 'command' })),
    static_attributes: (record.static_attributes ?? []).map((s) => ({
      name: s.name,
      type: s.type,
      value: typeof s.value === 'string' ? s.value : JSON.stringify(s.value ?? '')
    }))
  }
}

export function groupFormFrom(record: GroupDto): GroupForm {
  return {
    apikey: record.apikey,
    resource: record.resource,
    entity_type: record.entity_type,
    autoprovision: record.autoprovision !== false,
    ...rowsFrom(record)
  }
}

export function deviceFormFrom(record: DeviceDto): DeviceForm {
  return {
    device_id: record.device_id,
    entity_name: record.entity_name,
    entity_type: record.entity_type,
    transport: record.transport || 'MQTT',
    endpoint: record.endpoint ?? '',
    protocol: record.protocol ?? '',
    apikey: record.apikey ?? '',
    ...rowsFrom(record)
  }
}

/** A listed group turned back into a creation item (for undo after a delete): without what the agent sets. */
export function recreateGroup(record: GroupDto): GroupInputDto {
  const { _id, creationDate, service, subservice, ...item } = record
  void [_id, creationDate, service, subservice]
  return dropUndefined(item)
}

/** A listed device turned back into a creation item (for undo after a delete): without what the agent sets. */
export function recreateDevice(record: DeviceDto): DeviceInputDto {
  const { service, service_path, polling, lastMeasure, ...item } = record
  void [service, service_path, polling, lastMeasure]
  return dropUndefined(item)
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
