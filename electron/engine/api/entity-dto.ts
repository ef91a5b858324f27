import type { EntityDto, NgsiAttributeDto } from '../../../shared/contract'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * An entity in normalized NGSI-v2 form, as the contract types it, from the JSON a context broker
 * answered (an external Orion is outside input): `id` and `type` must be strings; an attribute that
 * is not an object with a string `type` is left out rather than passed on untyped.
 */
export function entityDto(raw: unknown): EntityDto {
  if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.type !== 'string') throw new Error('the context broker answered an entity without a string id and type')
  const out: EntityDto = { id: raw.id, type: raw.type }
  for (const [name, v] of Object.entries(raw)) {
    if (name === 'id' || name === 'type' || !isObject(v) || typeof v.type !== 'string') continue
    const attr: NgsiAttributeDto = { type: v.type, value: v.value }
    if (isObject(v.metadata)) attr.metadata = v.metadata as NgsiAttributeDto['metadata']
    out[name] = attr
  }
  return out
}
