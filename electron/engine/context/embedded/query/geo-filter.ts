import { parseDecimal } from '../entity-json'
import { boxRing, coveredBy, distanceTo, entityLocation, intersects, sameGeometry, type Shape } from '../geo/shapes'
import type { Position } from '../geo/geo-math'
import type { StoredEntity } from '../model'

/**
 * Geographical filters (`georel`, `geometry`, `coords`; docs/compatibility/ngsi-v2.md §2.2), parsed with the rules and
 * messages of Orion's GeoFilter::fill, Geometry::parse and Georel::parse, then compiled into a
 * predicate on an entity's location. Parsing returns the bare message; callers add their prefix
 * (`Invalid query: ` for URI parameters, `error parsing geo-query fields: ` in payloads).
 */

export type GeoRelation = 'near' | 'coveredBy' | 'intersects' | 'equals' | 'disjoint'
export type GeoGeometry = 'point' | 'line' | 'polygon' | 'box'

export interface GeoQuery {
  /** Absent when only geometry and coords were given (Orion then applies no geo filter). */
  relation?: GeoRelation
  maxDistance?: number
  minDistance?: number
  geometry: GeoGeometry
  /** The reference shape, [lon, lat] positions. */
  shape: Shape
  /** For `point`: the reference point. */
  point?: Position
}

export interface GeoPredicate {
  test(entity: Pick<StoredEntity, 'attrs'>): boolean
  /** For `near`: metres from the reference point (orderBy=geo:distance). */
  distance?: (entity: Pick<StoredEntity, 'attrs'>) => number
}

/** stringSplit(): leading delimiters skipped; null for no component at all. */
function split(text: string, delimiter: string): string[] | null {
  let start = 0
  while (text[start] === delimiter) start++
  if (start === text.length) return null
  return text.slice(start).split(delimiter)
}

/** str2double(): strtod with nothing but white space after the number (an empty text is 0). */
function number(text: string): number | null {
  if (text.trim() === '') return 0
  return parseDecimal(text)
}

function parseGeometry(text: string): { geometry: GeoGeometry } | { error: string } {
  const items = split(text, ';')
  if (!items) return { error: 'error parsing geometry: empty geometry' }
  let geometry: GeoGeometry | null = null
  for (const item of items) {
    if (item === 'point' || item === 'line' || item === 'box' || item === 'polygon') {
      if (geometry) return { error: 'error parsing geometry: geometry-type present more than once' }
      geometry = item
    } else return { error: 'error parsing geometry: Invalid selector in geometry specification' }
  }
  return { geometry: geometry! }
}

function parseGeorel(text: string, out: Partial<GeoQuery>): string | null {
  const items = split(text, ';')
  if (!items) return 'empty georel'
  let type = ''
  for (const item of items) {
    if (item === 'near' || item === 'coveredBy' || item === 'intersects' || item === 'equals' || item === 'disjoint') {
      if (type) return 'georel type present more than once'
      type = item
    } else if (item.startsWith('maxDistance:') || item.startsWith('minDistance:')) {
      const key = item.startsWith('max') ? 'maxDistance' : 'minDistance'
      if (out[key] !== undefined) return `${key} present more than once`
      const n = number(item.slice(12))
      if (n === null) return `invalid number for ${key}`
      out[key] = n
    } else return 'Invalid modifier in georel parameter'
  }
  if (out.maxDistance !== undefined && type !== 'near') return `maxDistance erroneously used with georel /${type}/`
  if (out.minDistance !== undefined && type !== 'near') return `minDistance erroneously used with georel /${type}/`
  if (type === 'near' && out.maxDistance === undefined && out.minDistance === undefined) {
    return 'georel /near/ without either minDistance nor maxDistance'
  }
  if (type) out.relation = type as GeoRelation
  return null
}

function parseCoords(text: string): Position[] | string {
  if (text === '') return 'no coordinates for geometry'
  const items = split(text, ';')
  if (!items) return 'erroneous coordinates for geometry'
  const out: Position[] = []
  for (const item of items) {
    const pair = split(item, ',')
    if (!pair || pair.length !== 2) return 'invalid point in URI param /coords/'
    const lat = number(pair[0]!)
    const lon = number(pair[1]!)
    if (lat === null || lon === null) return 'invalid coordinates'
    out.push([lon, lat])
  }
  return out
}

function shapeOf(geometry: GeoGeometry, ps: Position[]): Shape | string {
  const shape: Shape = { points: [], lines: [], polygons: [], geometry: { type: '', coordinates: null } }
  switch (geometry) {
    case 'polygon': {
      if (ps.length < 4) return 'Too few coordinates for polygon'
      const [first, last] = [ps[0]!, ps[ps.length - 1]!]
      if (first[0] !== last[0] || first[1] !== last[1]) return 'First and last point in polygon not the same'
      shape.polygons.push([ps])
      shape.geometry = { type: 'Polygon', coordinates: [ps] }
      return shape
    }
    case 'line':
      if (ps.length < 2) return 'invalid number of coordinates for /line/'
      shape.lines.push(ps)
      shape.geometry = { type: 'LineString', coordinates: ps }
      return shape
    case 'box': {
      if (ps.length !== 2) return 'invalid number of coordinates for /box/'
      const [a, b] = [ps[0]!, ps[1]!]
      if (a[0] === b[0] || a[1] === b[1]) return 'box coordinates are not defining an actual box'
      const ring = boxRing(a, b)
      shape.polygons.push([ring])
      shape.geometry = { type: 'Polygon', coordinates: [ring] }
      return shape
    }
    case 'point':
      if (ps.length !== 1) return 'invalid number of coordinates for /point/'
      shape.points.push(ps[0]!)
      shape.geometry = { type: 'Point', coordinates: ps[0] }
      return shape
  }
}

/** Parses the three parameters; returns the query or Orion's message (without prefix). */
export function parseGeoQuery(georel: string | undefined, geometry: string, coords: string): GeoQuery | string {
  const parsed = parseGeometry(geometry)
  if ('error' in parsed) return parsed.error
  const g = parsed.geometry
  const q: Partial<GeoQuery> = { geometry: g }
  if (georel !== undefined && georel !== '') {
    const err = parseGeorel(georel, q)
    if (err) return err
  }
  if (g === 'line' && q.relation === 'coveredBy') return 'line geometry cannot be used with coveredBy georel'
  if (g === 'point' && q.relation === 'coveredBy') return 'point geometry cannot be used with coveredBy georel'
  if (g !== 'point' && q.relation === 'near') return 'georel /near/ used with geometry different than point'
  const ps = parseCoords(coords)
  if (typeof ps === 'string') return ps
  const shape = shapeOf(g, ps)
  if (typeof shape === 'string') return shape
  q.shape = shape
  if (g === 'point') q.point = ps[0]!
  return q as GeoQuery
}

/** The predicate of a parsed query; entities without a usable location never match. */
export function compileGeoQuery(q: GeoQuery): GeoPredicate | null {
  const ref = q.shape
  switch (q.relation) {
    case undefined:
      // Orion builds no geo filter without georel (processGeoFilter fails and is ignored).
      return null
    case 'near': {
      const center = q.point!
      const distance = (e: Pick<StoredEntity, 'attrs'>): number => {
        const loc = entityLocation(e)
        return loc ? distanceTo(center, loc) : Infinity
      }
      return {
        distance,
        test: (e) => {
          const d = distance(e)
          if (d === Infinity) return false
          if (q.maxDistance !== undefined && d > q.maxDistance) return false
          if (q.minDistance !== undefined && q.minDistance > 0 && d < q.minDistance) return false
          return true
        }
      }
    }
    case 'coveredBy':
      return { test: (e) => within(e, ref) }
    case 'intersects':
      return { test: (e) => withLocation(e, (loc) => intersects(loc, ref)) }
    case 'disjoint':
      return { test: (e) => withLocation(e, (loc) => !intersects(loc, ref)) }
    case 'equals':
      return { test: (e) => withLocation(e, (loc) => sameGeometry(loc, ref)) }
  }
}

function withLocation(e: Pick<StoredEntity, 'attrs'>, test: (loc: Shape) => boolean): boolean {
  const loc = entityLocation(e)
  return loc !== null && test(loc)
}

function within(e: Pick<StoredEntity, 'attrs'>, ref: Shape): boolean {
  const area = ref.polygons[0]
  return !!area && withLocation(e, (loc) => coveredBy(loc, area))
}
