/**
 * The unit of a chart's attribute, from what the entity says and nothing else: its `unitCode`
 * metadata (a UN/CEFACT Recommendation 20 common code, as the FIWARE data models write units), or
 * else an attribute type that names a unit outright. A type such as "Number" or "Float" says
 * nothing about the unit, so no unit is shown then.
 */
import type { NgsiAttributeDto } from '../../../shared/contract'

/** Symbols of the common codes of UN/CEFACT Recommendation 20 (Annex III) seen in IoT data. */
export const UNIT_SYMBOLS: Readonly<Record<string, string>> = {
  // Temperature
  CEL: '°C',
  FAH: '°F',
  KEL: 'K',
  // Ratios and counts ("C62" is the unit "one": a plain number)
  P1: '%',
  '59': 'ppm',
  '61': 'ppb',
  C62: '',
  // Electricity and energy
  AMP: 'A',
  '4K': 'mA',
  VLT: 'V',
  '2Z': 'mV',
  OHM: 'Ω',
  WTT: 'W',
  KWT: 'kW',
  WHR: 'W·h',
  KWH: 'kW·h',
  HTZ: 'Hz',
  // Length, area, volume
  MMT: 'mm',
  CMT: 'cm',
  MTR: 'm',
  KMT: 'km',
  MTK: 'm²',
  LTR: 'l',
  MTQ: 'm³',
  MQH: 'm³/h',
  // Speed and rotation
  MTS: 'm/s',
  KMH: 'km/h',
  KNT: 'kn',
  DD: '°',
  // Pressure
  PAL: 'Pa',
  A97: 'hPa',
  KPA: 'kPa',
  BAR: 'bar',
  MBR: 'mbar',
  // Mass and concentration
  GRM: 'g',
  KGM: 'kg',
  GQ: 'µg/m³',
  GP: 'mg/m³',
  // Light, sound, radiation
  LUX: 'lx',
  '2N': 'dB',
  D54: 'W/m²',
  // Time
  SEC: 's',
  MIN: 'min',
  HUR: 'h',
  DAY: 'd'
}

/** Attribute types that are the name of a unit (compared without case). */
const TYPE_SYMBOLS: Readonly<Record<string, string>> = {
  percent: '%',
  percentage: '%',
  celsius: '°C',
  fahrenheit: '°F',
  kelvin: 'K'
}

/** The symbol of a UN/CEFACT code; an unknown code is shown as it is written. */
export function unitSymbol(code: string): string {
  const c = code.trim()
  return Object.hasOwn(UNIT_SYMBOLS, c) ? UNIT_SYMBOLS[c]! : c
}

/** The unit an attribute declares, or '' when it declares none. */
export function unitOf(attr: Pick<NgsiAttributeDto, 'type' | 'metadata'> | undefined): string {
  if (!attr) return ''
  const code = attr.metadata?.unitCode?.value
  if (typeof code === 'string' && code.trim()) return unitSymbol(code).slice(0, 24)
  const type = typeof attr.type === 'string' ? attr.type.trim().toLowerCase() : ''
  return Object.hasOwn(TYPE_SYMBOLS, type) ? TYPE_SYMBOLS[type]! : ''
}

/** A value with its unit, as the charts write it ("21.5 °C", "40 %"). */
export function withUnit(value: string, unit: string): string {
  return unit ? `${value} ${unit}` : value
}
