import { NgsiError } from '../types'

/**
 * Orion's error names and the exact descriptions its clients see (errorMessages.h in Orion).
 * Trainees compare our answers with the tutorials' screenshots, so the texts are verbatim.
 */
export const DESC = {
  entityNotFound: 'The requested entity has not been found. Check type and id',
  attributeNotFound: 'The entity does not have such an attribute',
  registrationNotFound: 'The requested registration has not been found. Check id',
  alreadyExists: 'Already Exists',
  tooManyEntities: 'More than one matching entity. Please refine your query',
  parse: 'Errors found in incoming JSON buffer',
  maxNesting: 'attribute or metadata value has overpassed maximum nesting limit: 50',
  emptyPayload: 'empty payload',
  emptyEntityId: 'entity id length: 0, min length supported: 1',
  emptyEntityType: 'entity type length: 0, min length supported: 1',
  emptyAttrName: 'attribute name length: 0, min length supported: 1',
  geoLocations:
    'You cannot use more than one geo location attribute when creating an entity. Use ignoreType metadata if you want to add additional informative locations.',
  doNotExist: 'do not exist: ',
  attrsAlreadyExist: 'one or more of the attributes in the request already exist: '
} as const

export function badRequest(description: string): NgsiError {
  return new NgsiError(400, 'BadRequest', description)
}

export function parseError(description: string = DESC.parse): NgsiError {
  return new NgsiError(400, 'ParseError', description)
}

export function notFound(description: string): NgsiError {
  return new NgsiError(404, 'NotFound', description)
}

export function entityNotFound(): NgsiError {
  return notFound(DESC.entityNotFound)
}

export function tooManyResults(): NgsiError {
  return new NgsiError(409, 'TooManyResults', DESC.tooManyEntities)
}

export function unprocessable(description: string): NgsiError {
  return new NgsiError(422, 'Unprocessable', description)
}

export function notImplemented(description: string): NgsiError {
  return new NgsiError(501, 'NotImplemented', description)
}
