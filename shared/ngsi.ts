/** NGSI-v2 entities as the context broker (embedded or an external Orion) returns them, in normalized form. */

export interface NgsiAttributeMetadataDto {
  type: string
  value: unknown
}

export interface NgsiAttributeDto {
  type: string
  value: unknown
  metadata?: Record<string, NgsiAttributeMetadataDto>
}

/** An entity: `id`, `type` and its attributes by name. */
export interface EntityDto {
  id: string
  type: string
  [attribute: string]: NgsiAttributeDto | string
}

/** The attributes of an entity (every field but `id` and `type`), in the order the broker gave them. */
export function entityAttributes(entity: EntityDto): Array<[string, NgsiAttributeDto]> {
  const out: Array<[string, NgsiAttributeDto]> = []
  for (const [name, v] of Object.entries(entity)) if (name !== 'id' && name !== 'type' && typeof v === 'object') out.push([name, v])
  return out
}
