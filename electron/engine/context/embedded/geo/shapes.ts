import { isLocationAttribute } from '../attribute-input'
import type { StoredAttribute, StoredEntity } from '../model'
import { distanceToSegment, haversine, inPolygon, segments, segmentsCrossProperly, segmentsIntersect, onSegment, type Position } from './geo-math'

/**
 * Geometries of entity locations and of query shapes, reduced to points, polylines and
 * polygons, with the relations Orion's geo-queries ask for (docs/compatibility/ngsi-v2.md §2.2).
 *
 * An entity's location is its one attribute of type `geo:json` (Point, MultiPoint, LineString,
 * MultiLineString, Polygon, MultiPolygon; Feature and FeatureCollection through their geometry)
 * or of a deprecated type (`geo:point` "lat, lon", `geo:line`, `geo:box`, `geo:polygon`: lists
 * of "lat, lon" strings), unless its metadata `ignoreType` is true.
 */

export interface Shape {
  points: Position[]
  lines: Position[][]
  /** Each polygon: outer ring, then holes. */
  polygons: Position[][][]
  /** The GeoJSON geometry as Orion stores it in `location.coords` (what `equals` compares). */
  geometry: { type: string; coordinates: unknown }
}

function isPosition(v: unknown): v is Position {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && Number.isFinite(v[0]) && Number.isFinite(v[1])
}

function positions(v: unknown, min: number): Position[] | null {
  if (!Array.isArray(v) || v.length < min || !v.every(isPosition)) return null
  return v.map((p) => [p[0], p[1]])
}

function rings(v: unknown): Position[][] | null {
  if (!Array.isArray(v) || v.length === 0) return null
  const out: Position[][] = []
  for (const r of v) {
    const ring = positions(r, 4)
    if (!ring) return null
    out.push(ring)
  }
  return out
}

function emptyShape(geometry: Shape['geometry']): Shape {
  return { points: [], lines: [], polygons: [], geometry }
}

/** A GeoJSON geometry (or Feature/FeatureCollection) as a shape; null when it is not valid. */
export function shapeOfGeoJson(value: unknown): Shape | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as { type?: unknown; coordinates?: unknown; geometry?: unknown; features?: unknown }
  if (v.type === 'Feature') return shapeOfGeoJson(v.geometry)
  if (v.type === 'FeatureCollection') {
    return Array.isArray(v.features) && v.features.length > 0 ? shapeOfGeoJson(v.features[0]) : null
  }
  if (typeof v.type !== 'string') return null
  const shape = emptyShape({ type: v.type, coordinates: v.coordinates })
  const c = v.coordinates
  switch (v.type) {
    case 'Point':
      if (!isPosition(c)) return null
      shape.points.push([c[0], c[1]])
      return shape
    case 'MultiPoint': {
      const ps = positions(c, 1)
      if (!ps) return null
      shape.points.push(...ps)
      return shape
    }
    case 'LineString': {
      const line = positions(c, 2)
      if (!line) return null
      shape.lines.push(line)
      return shape
    }
    case 'MultiLineString': {
      if (!Array.isArray(c) || c.length === 0) return null
      for (const l of c) {
        const line = positions(l, 2)
        if (!line) return null
        shape.lines.push(line)
      }
      return shape
    }
    case 'Polygon': {
      const poly = rings(c)
      if (!poly) return null
      shape.polygons.push(poly)
      return shape
    }
    case 'MultiPolygon': {
      if (!Array.isArray(c) || c.length === 0) return null
      for (const p of c) {
        const poly = rings(p)
        if (!poly) return null
        shape.polygons.push(poly)
      }
      return shape
    }
    default:
      return null
  }
}

/** "lat, lon" (deprecated formats) → [lon, lat]. */
function latLon(text: unknown): Position | null {
  if (typeof text !== 'string') return null
  const parts = text.split(',')
  if (parts.length !== 2) return null
  const lat = Number(parts[0]!.trim())
  const lon = Number(parts[1]!.trim())
  if (parts[0]!.trim() === '' || parts[1]!.trim() === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) return null
  return [lon, lat]
}

/** The box of two corners as Orion writes it: lower-left, lower-right, upper-right, upper-left, lower-left. */
export function boxRing(a: Position, b: Position): Position[] {
  const [minLon, maxLon] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])]
  const [minLat, maxLat] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])]
  return [
    [minLon, minLat],
    [maxLon, minLat],
    [maxLon, maxLat],
    [minLon, maxLat],
    [minLon, minLat]
  ]
}

function shapeOfLegacy(type: string, value: unknown): Shape | null {
  if (type === 'geo:point') {
    const p = latLon(value)
    if (!p) return null
    const shape = emptyShape({ type: 'Point', coordinates: p })
    shape.points.push(p)
    return shape
  }
  if (!Array.isArray(value)) return null
  const ps = value.map(latLon)
  if (ps.some((p) => p === null)) return null
  const pts = ps as Position[]
  if (type === 'geo:line' && pts.length >= 2) {
    const shape = emptyShape({ type: 'LineString', coordinates: pts })
    shape.lines.push(pts)
    return shape
  }
  if (type === 'geo:box' && pts.length === 2) {
    const ring = boxRing(pts[0]!, pts[1]!)
    const shape = emptyShape({ type: 'Polygon', coordinates: [ring] })
    shape.polygons.push([ring])
    return shape
  }
  if (type === 'geo:polygon' && pts.length >= 4) {
    const shape = emptyShape({ type: 'Polygon', coordinates: [pts] })
    shape.polygons.push([pts])
    return shape
  }
  return null
}

// Parsed locations per stored value: values are replaced, never mutated, so the cache stays right.
const objectCache = new WeakMap<object, Shape | null>()

function shapeOfAttribute(a: StoredAttribute): Shape | null {
  if (typeof a.value === 'object' && a.value !== null) {
    const key = a.value
    let shape = objectCache.get(key)
    if (shape === undefined) {
      shape = a.type === 'geo:json' ? shapeOfGeoJson(a.value) : shapeOfLegacy(a.type, a.value)
      objectCache.set(key, shape)
    }
    return shape
  }
  return a.type === 'geo:point' ? shapeOfLegacy(a.type, a.value) : null
}

/** The entity's location, or null (no location attribute, null or unusable value). */
export function entityLocation(e: Pick<StoredEntity, 'attrs'>): Shape | null {
  for (const a of e.attrs.values()) {
    if (isLocationAttribute(a.type, a.metadata)) return shapeOfAttribute(a)
  }
  return null
}

/** Every vertex of a shape (isolated points, line vertices, ring vertices). */
function* vertices(s: Shape): Iterable<Position> {
  yield* s.points
  for (const l of s.lines) yield* l
  for (const p of s.polygons) for (const r of p) yield* r
}

function* edges(s: Shape): Iterable<[Position, Position]> {
  for (const l of s.lines) yield* segments(l)
  for (const p of s.polygons) for (const r of p) yield* segments(r)
}

/** Whether a point touches a shape (inside a polygon, on a line, equal to a point). */
function touches(p: Position, s: Shape): boolean {
  if (s.points.some((q) => q[0] === p[0] && q[1] === p[1])) return true
  for (const [a, b] of edges(s)) if (onSegment(p, a, b)) return true
  return s.polygons.some((poly) => inPolygon(p, poly))
}

export function intersects(a: Shape, b: Shape): boolean {
  for (const p of vertices(a)) if (touches(p, b)) return true
  for (const p of vertices(b)) if (touches(p, a)) return true
  for (const [p1, p2] of edges(a)) for (const [q1, q2] of edges(b)) if (segmentsIntersect(p1, p2, q1, q2)) return true
  return false
}

/** Every part of `a` within the polygon `area` (its border included). */
export function coveredBy(a: Shape, area: Position[][]): boolean {
  const outer = area[0]!
  for (const p of vertices(a)) if (!inPolygon(p, area)) return false
  for (const [p1, p2] of edges(a)) for (const [q1, q2] of segments(outer)) if (segmentsCrossProperly(p1, p2, q1, q2)) return false
  return true
}

/** Same geometry type and coordinates, as MongoDB compares `location.coords`. */
export function sameGeometry(a: Shape, b: Shape): boolean {
  return a.geometry.type === b.geometry.type && JSON.stringify(a.geometry.coordinates) === JSON.stringify(b.geometry.coordinates)
}

/** Metres from a point to the nearest part of a shape (0 inside a polygon). */
export function distanceTo(p: Position, s: Shape): number {
  if (s.polygons.some((poly) => inPolygon(p, poly))) return 0
  let best = Infinity
  for (const q of s.points) best = Math.min(best, haversine(p, q))
  for (const [a, b] of edges(s)) best = Math.min(best, distanceToSegment(p, a, b))
  return best
}
