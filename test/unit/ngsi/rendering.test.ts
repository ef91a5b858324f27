import { describe, expect, it } from 'vitest'
import { formatIsoDate, normalizeIsoDate, parseIsoDate } from '../../../electron/engine/context/embedded/datetime'
import { formatNumber, toJsonText } from '../../../electron/engine/context/embedded/json-text'
import { entityText, entityView, type ResolvedEntity } from '../../../electron/engine/context/embedded/render'

describe('number rendering (Orion double2string)', () => {
  it('renders integer-like numbers without decimals', () => {
    expect(formatNumber(99)).toBe('99')
    expect(formatNumber(1.0)).toBe('1')
    expect(formatNumber(-3.0000000001)).toBe('-3')
    expect(formatNumber(5 + 1e-10)).toBe('5')
    expect(formatNumber(-0)).toBe('0')
    expect(formatNumber(1e20)).toBe('100000000000000000000')
  })

  it('keeps at most 9 decimals and strips trailing zeros', () => {
    expect(formatNumber(-46.55250126146248)).toBe('-46.552501261')
    expect(formatNumber(-23.726831522796758)).toBe('-23.726831523')
    expect(formatNumber(0.5)).toBe('0.5')
    expect(formatNumber(25.3)).toBe('25.3')
    expect(formatNumber(0.1 + 0.2)).toBe('0.3')
    expect(formatNumber(7.9999999999)).toBe('8')
    expect(formatNumber(1.0000000016)).toBe('1.000000002')
  })

  it('applies inside compound values, at any depth', () => {
    expect(toJsonText({ type: 'Point', coordinates: [-46.55250126146248, -23.726831522796758] })).toBe(
      '{"type":"Point","coordinates":[-46.552501261,-23.726831523]}'
    )
    expect(toJsonText({ a: [{ b: [1.23456789012] }], s: 'x"y', n: null, t: true })).toBe('{"a":[{"b":[1.23456789]}],"s":"x\\"y","n":null,"t":true}')
  })

  it('escapes control characters with upper-case hex, as Orion does', () => {
    expect(toJsonText('a\u001fb\n')).toBe('"a\\u001Fb\\n"')
  })
})

describe('DateTime (parse8601Time)', () => {
  it('accepts the ISO 8601 forms Orion accepts and renders milliseconds in UTC', () => {
    expect(normalizeIsoDate('2024-01-02')).toBe('2024-01-02T00:00:00.000Z')
    expect(normalizeIsoDate('2024-01-02T03')).toBe('2024-01-02T03:00:00.000Z')
    expect(normalizeIsoDate('2024-01-02T03:04')).toBe('2024-01-02T03:04:00.000Z')
    expect(normalizeIsoDate('2024-01-02T0304')).toBe('2024-01-02T03:04:00.000Z')
    expect(normalizeIsoDate('2024-01-02T03:04:05.678Z')).toBe('2024-01-02T03:04:05.678Z')
    expect(normalizeIsoDate('2024-01-02T03:04:05+02:00')).toBe('2024-01-02T01:04:05.000Z')
    expect(normalizeIsoDate('2024-01-02T03:04:05-0130')).toBe('2024-01-02T04:34:05.000Z')
    expect(normalizeIsoDate('2024-01-02T03:04:05.5+01')).toBe('2024-01-02T02:04:05.500Z')
  })

  it('rejects what is not a date', () => {
    for (const bad of ['2024-13-01', '2023-02-29', '2024-01-01T24:00', '2024-01-01T10:00:0x.00Z', 'yesterday', '09820-000', '2024', '']) {
      expect(parseIsoDate(bad), bad).toBeNull()
    }
    expect(parseIsoDate('2024-02-29')).not.toBeNull()
  })

  it('round-trips through formatIsoDate', () => {
    const ms = parseIsoDate('2022-10-05T12:34:56.789Z')!
    expect(formatIsoDate(ms)).toBe('2022-10-05T12:34:56.789Z')
  })
})

describe('representations', () => {
  const now = Date.UTC(2024, 0, 1)
  const e: ResolvedEntity = {
    id: 'urn:ngsi-ld:Product:010',
    type: 'Product',
    servicePath: '/',
    creDate: now,
    modDate: now + 1000,
    attrs: new Map([
      ['name', { type: 'Text', value: 'Lemonade', metadata: null, creDate: now, modDate: now }],
      ['size', { type: 'Text', value: 'S', metadata: new Map([['unit', { type: 'Text', value: 'x' }]]), creDate: now, modDate: now }],
      ['price', { type: 'Integer', value: 99, metadata: null, creDate: now, modDate: now }],
      ['alias', { type: 'Text', value: 'Lemonade', metadata: null, creDate: now, modDate: now }]
    ])
  }

  it('normalized: id, type, then attributes with type, value, metadata', () => {
    expect(entityText(entityView(e, { attrs: ['price'] }), 'normalized')).toBe(
      '{"id":"urn:ngsi-ld:Product:010","type":"Product","price":{"type":"Integer","value":99,"metadata":{}}}'
    )
  })

  it('keyValues, values and unique', () => {
    expect(entityText(entityView(e, { attrs: ['name', 'price'] }), 'keyValues')).toBe('{"id":"urn:ngsi-ld:Product:010","type":"Product","name":"Lemonade","price":99}')
    expect(entityText(entityView(e, { attrs: ['name', 'price'] }), 'values')).toBe('["Lemonade",99]')
    expect(entityText(entityView(e, {}), 'unique')).toBe('["Lemonade","S",99]')
  })

  it('attrs selects and orders; unknown names select nothing', () => {
    expect(entityView(e, { attrs: ['price', 'name'] }).attrs.map((a) => a.name)).toEqual(['price', 'name'])
    expect(entityView(e, { attrs: ['__NONE'] }).attrs).toEqual([])
    expect(entityView(e, { attrs: ['type'] }).attrs).toEqual([])
  })

  it('renders builtins only when named, after user attributes with *', () => {
    expect(entityView(e, {}).attrs.map((a) => a.name)).toEqual(['name', 'size', 'price', 'alias'])
    const v = entityView(e, { attrs: ['dateModified', '*', 'servicePath'] })
    expect(v.attrs.map((a) => a.name)).toEqual(['name', 'size', 'price', 'alias', 'dateModified', 'servicePath'])
    expect(v.attrs[4]).toEqual({ name: 'dateModified', type: 'DateTime', value: '2024-01-01T00:00:01.000Z', metadata: [] })
    expect(entityView(e, { attrs: ['dateCreated'] }).attrs[0]!.value).toBe('2024-01-01T00:00:00.000Z')
  })

  it('selects metadata, builtin dates on demand', () => {
    expect(entityView(e, { attrs: ['size'], metadata: ['dateCreated'] }).attrs[0]!.metadata).toEqual([
      { name: 'dateCreated', type: 'DateTime', value: '2024-01-01T00:00:00.000Z' }
    ])
    expect(entityView(e, { attrs: ['size'], metadata: ['*', 'dateModified'] }).attrs[0]!.metadata.map((m) => m.name)).toEqual(['unit', 'dateModified'])
    expect(entityView(e, { attrs: ['size'], metadata: ['nope'] }).attrs[0]!.metadata).toEqual([])
  })
})
