import { describe, expect, it } from 'vitest'
import { unitOf, unitSymbol, withUnit } from '../../../renderer/src/services/units'

const unitCode = (value: unknown) => ({ unitCode: { type: 'Text', value } })

describe('chart units', () => {
  it('come from the unitCode metadata, as UN/CEFACT common codes', () => {
    expect(unitOf({ type: 'Number', metadata: unitCode('CEL') })).toBe('°C')
    expect(unitOf({ type: 'Number', metadata: unitCode('FAH') })).toBe('°F')
    expect(unitOf({ type: 'Number', metadata: unitCode('KEL') })).toBe('K')
    expect(unitOf({ type: 'Number', metadata: unitCode('P1') })).toBe('%')
    expect(unitOf({ type: 'Number', metadata: unitCode('MTS') })).toBe('m/s')
    expect(unitOf({ type: 'Number', metadata: unitCode('KMH') })).toBe('km/h')
    expect(unitOf({ type: 'Number', metadata: unitCode('A97') })).toBe('hPa')
    expect(unitOf({ type: 'Number', metadata: unitCode('KMT') })).toBe('km')
    expect(unitOf({ type: 'Number', metadata: unitCode('GQ') })).toBe('µg/m³')
    expect(unitOf({ type: 'Number', metadata: unitCode('59') })).toBe('ppm')
  })

  it('show an unknown code as it is written, and the unit "one" (C62) as nothing', () => {
    expect(unitOf({ type: 'Number', metadata: unitCode('XYZ') })).toBe('XYZ')
    expect(unitSymbol(' RPM ')).toBe('RPM')
    expect(unitOf({ type: 'Number', metadata: unitCode('C62') })).toBe('')
    // Not a code of the table, even though it is a property of every object.
    expect(unitSymbol('constructor')).toBe('constructor')
  })

  it('come from the type only when the type names a unit; a plain number has none', () => {
    expect(unitOf({ type: 'Percentage' })).toBe('%')
    expect(unitOf({ type: 'celsius' })).toBe('°C')
    expect(unitOf({ type: 'Number' })).toBe('')
    expect(unitOf({ type: 'Float' })).toBe('')
    expect(unitOf({ type: 'Temperature' })).toBe('')
    expect(unitOf(undefined)).toBe('')
  })

  it('prefer unitCode over the type, and ignore a unitCode that is not a code', () => {
    expect(unitOf({ type: 'Percentage', metadata: unitCode('CEL') })).toBe('°C')
    expect(unitOf({ type: 'Number', metadata: unitCode(42) })).toBe('')
    expect(unitOf({ type: 'Percentage', metadata: unitCode('  ') })).toBe('%')
  })

  it('follow the value they belong to', () => {
    expect(withUnit('21,5', '°C')).toBe('21,5 °C')
    expect(withUnit('3', '')).toBe('3')
  })
})
