import { describe, expect, it } from 'vitest'
import { normalizeAttribute } from '../../../electron/engine/context/embedded/attribute-input'
import { checkEntityId, checkEntityType, hasForbiddenChars, hasForbiddenIdChars } from '../../../electron/engine/context/embedded/identifiers'
import {
  checkTenant,
  parseServicePathHeader,
  servicePathMatcher,
  writeServicePath
} from '../../../electron/engine/context/embedded/scope'
import { NgsiError } from '../../../electron/engine/context/types'

function description(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(NgsiError)
    expect((err as NgsiError).status).toBe(400)
    return (err as NgsiError).description
  }
  throw new Error('accepted')
}

describe('identifiers (docs/compatibility/ngsi-v2.md §1.4)', () => {
  it('accepts printable ASCII without the forbidden characters', () => {
    expect(hasForbiddenIdChars('urn:ngsi-ld:Store:001')).toBe(false)
    for (const c of ['&', '?', '/', '#', '<', '>', '"', "'", '=', ';', '(', ')', ' ', 'ñ', '\t']) expect(hasForbiddenIdChars(`a${c}b`), c).toBe(true)
    expect(hasForbiddenChars('Avenida Maria Servidei Demarchi, 398 — São Paulo')).toBe(false)
    expect(hasForbiddenChars('a=b')).toBe(true)
  })

  it('checks entity ids and types with Orion messages', () => {
    expect(description(() => checkEntityId(1))).toBe('Invalid JSON type for entity id')
    expect(description(() => checkEntityId(''))).toBe('entity id length: 0, min length supported: 1')
    expect(description(() => checkEntityId('España'))).toBe('Invalid characters in entity id')
    expect(description(() => checkEntityId('x'.repeat(257)))).toBe('entity id length: 257, max length supported: 256')
    expect(checkEntityId('x'.repeat(256))).toHaveLength(256)
    expect(description(() => checkEntityType(true))).toBe('Invalid JSON type for entity type')
    expect(description(() => checkEntityType(''))).toBe('entity type length: 0, min length supported: 1')
    expect(description(() => checkEntityType('a b'))).toBe('Invalid characters in entity type')
  })

  it('checks attributes, metadata and their values', () => {
    expect(description(() => normalizeAttribute('', { value: 1 }))).toBe('attribute name length: 0, min length supported: 1')
    expect(description(() => normalizeAttribute('a#b', { value: 1 }))).toBe('Invalid characters in attribute name')
    expect(description(() => normalizeAttribute('a', { type: 'a b', value: 1 }))).toBe('Invalid characters in attribute type')
    expect(description(() => normalizeAttribute('a', { type: '', value: 1 }))).toBe('attribute type length: 0, min length supported: 1')
    expect(description(() => normalizeAttribute('a', { value: 'x<y' }))).toBe('Invalid characters in attribute value')
    expect(description(() => normalizeAttribute('a', { value: { deep: ['ok', 'no;'] } }))).toBe('Invalid characters in attribute value')
    expect(normalizeAttribute('a', { type: 'TextUnrestricted', value: 'x<y' }).value).toBe('x<y')
    expect(normalizeAttribute('a', { value: 'x<y', metadata: { TextUnrestricted: { value: true } } }).value).toBe('x<y')
    expect(description(() => normalizeAttribute('a', { value: 1, metadata: { 'm m': { value: 1 } } }))).toBe('Invalid characters in metadata name')
    expect(description(() => normalizeAttribute('a', { value: 1, metadata: { m: { value: "it's" } } }))).toBe('Invalid characters in metadata value')
    expect(description(() => normalizeAttribute('a', { type: 'DateTime', value: 'soon' }))).toBe('date has invalid format in attribute value')
    expect(description(() => normalizeAttribute('a', { type: 'DateTime', value: 42 }))).toBe('date has invalid format in attribute value')
    expect(description(() => normalizeAttribute('a', { value: 1, metadata: { t: { type: 'DateTime', value: 'x' } } }))).toBe('date has invalid format in metadata value')
    expect(description(() => normalizeAttribute('a', { type: 'geo:json', value: [1, 2] }))).toBe('geo:json needs an object or null as value')
  })

  it('rejects values nested deeper than 50 levels with a ParseError', () => {
    let deep: unknown = 1
    for (let i = 0; i < 60; i++) deep = { d: deep }
    try {
      normalizeAttribute('a', { value: deep })
      throw new Error('accepted')
    } catch (err) {
      expect(err).toMatchObject({ status: 400, error: 'ParseError', description: 'attribute or metadata value has overpassed maximum nesting limit: 50' })
    }
  })

  it('applies default types by JSON value; DateTime is never inferred', () => {
    const types = ['x', 1, true, null, { a: 1 }, [1], '2024-01-01T00:00:00Z'].map((value) => normalizeAttribute('a', { value }).type)
    expect(types).toEqual(['Text', 'Number', 'Boolean', 'None', 'StructuredValue', 'StructuredValue', 'Text'])
    expect(normalizeAttribute('a', {}).value).toBeNull()
  })
})

describe('tenants (Fiware-Service)', () => {
  it('lower-cases and validates', () => {
    expect(checkTenant('OpenIoT')).toBe('openiot')
    expect(checkTenant('')).toBe('')
    expect(checkTenant('a_1')).toBe('a_1')
    expect(description(() => checkTenant('open-iot'))).toBe('bad character in tenant name - only underscore and alphanumeric characters are allowed')
    expect(description(() => checkTenant('x'.repeat(51)))).toBe('bad length - a tenant name can be max 50 characters long')
  })
})

describe('service paths (Fiware-ServicePath)', () => {
  it('splits lists, trims items and drops one trailing slash', () => {
    expect(parseServicePathHeader(undefined)).toEqual([])
    expect(parseServicePathHeader('')).toEqual([])
    expect(parseServicePathHeader('/')).toEqual(['/'])
    expect(parseServicePathHeader('/a/b/')).toEqual(['/a/b'])
    expect(parseServicePathHeader(' /a , /b/# ')).toEqual(['/a', '/b/#'])
  })

  it.each([
    ['a', 'Only /absolute/ Service Paths allowed [a service path must begin with /]'],
    ['//a', 'empty component in ServicePath'],
    ['/a//b', 'empty component in ServicePath'],
    ['/a-b', 'a component of ServicePath contains an illegal character'],
    ['/a#', 'a component of ServicePath contains an illegal character'],
    ['/#/a', 'a component of ServicePath contains an illegal character'],
    ['/' + 'x'.repeat(51), 'component-name too long in ServicePath'],
    ['/1/2/3/4/5/6/7/8/9/10/11', 'too many components in ServicePath'],
    [Array.from({ length: 11 }, (_, i) => `/p${i}`).join(','), 'too many service paths - a maximum of ten service paths is allowed']
  ])('%s → %s', (header, message) => {
    expect(description(() => parseServicePathHeader(header))).toBe(message)
  })

  it('has method-specific rules for PATCH and DELETE', () => {
    expect(description(() => parseServicePathHeader('/a/#', 'PATCH'))).toBe('servicepath with wildcard # is not allowed in patch update request')
    expect(description(() => parseServicePathHeader('/a/#', 'DELETE'))).toBe('servicepath with wildcard # is not allowed in DELETE operation')
    expect(description(() => parseServicePathHeader('/a,/b', 'PATCH'))).toBe('more than one servicepath in patch update request is not allowed')
    expect(description(() => parseServicePathHeader('/a,/b', 'DELETE'))).toBe('more than one servicepath is not allowed in DELETE operation')
  })

  it('writes go to exactly one path, / by default', () => {
    expect(writeServicePath([])).toBe('/')
    expect(writeServicePath(['/a'])).toBe('/a')
    expect(description(() => writeServicePath(['/a', '/b']))).toBe('more than one service path in context update request')
    expect(description(() => writeServicePath(['/a/#']))).toBe('Bad Character in Service-Path')
  })

  it('queries see exact paths, /x/# subtrees, everything by default', () => {
    const all = servicePathMatcher([])
    expect(all('/any/where')).toBe(true)
    const root = servicePathMatcher(['/'])
    expect(root('/')).toBe(true)
    expect(root('/a')).toBe(false)
    const sub = servicePathMatcher(['/a/#', '/c'])
    expect(['/a', '/a/b', '/ab', '/c', '/c/d'].map(sub)).toEqual([true, true, false, true, false])
    expect(servicePathMatcher(['/#'])('/x')).toBe(true)
  })
})
