/**
 * The geometry behind geographical queries and subscriptions (docs/compatibility/ngsi-v2.md §2.2). Positions are
 * `[longitude, latitude]` in degrees, as in GeoJSON.
 *
 * Orion delegates to MongoDB's 2dsphere index: distances are spherical ($centerSphere on a
 * 6,371 km sphere), which is what `near` needs and what haversine gives. The shape relations
 * (intersects, coveredBy, disjoint) are computed here in the longitude/latitude plane: edges are
 * straight lines in degrees instead of great-circle arcs. For the areas of a tutorial (a city,
 * a few kilometres) the difference is far below GPS precision; it only shows on shapes spanning
 * hundreds of kilometres or the antimeridian.
 */

export type Position = [number, number]

/** MongoDB's radius for $centerSphere (Orion's EARTH_RADIUS_METERS). */
export const EARTH_RADIUS_M = 6_371_000

const rad = (deg: number): number => (deg * Math.PI) / 180

/** Great-circle distance in metres. */
export function haversine(a: Position, b: Position): number {
  const dLat = rad(b[1] - a[1])
  const dLon = rad(b[0] - a[0])
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/**
 * Distance in metres from a point to a segment: the segment is projected on the plane tangent
 * at the point (equirectangular), which is exact enough below a few hundred kilometres; the
 * end points themselves are measured with haversine so that point-to-point stays exact.
 */
export function distanceToSegment(p: Position, a: Position, b: Position): number {
  const k = Math.cos(rad(p[1]))
  const ax = (a[0] - p[0]) * k
  const ay = a[1] - p[1]
  const bx = (b[0] - p[0]) * k
  const by = b[1] - p[1]
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2))
  if (t === 0) return haversine(p, a)
  if (t === 1) return haversine(p, b)
  const cx = ax + t * dx
  const cy = ay + t * dy
  return rad(Math.sqrt(cx * cx + cy * cy)) * EARTH_RADIUS_M
}

const EPS = 1e-12

function cross(o: Position, a: Position, b: Position): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/** Whether p lies on the segment a–b (end points included). */
export function onSegment(p: Position, a: Position, b: Position): boolean {
  if (Math.abs(cross(a, b, p)) > EPS * Math.max(1, Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]))) return false
  return (
    p[0] >= Math.min(a[0], b[0]) - EPS &&
    p[0] <= Math.max(a[0], b[0]) + EPS &&
    p[1] >= Math.min(a[1], b[1]) - EPS &&
    p[1] <= Math.max(a[1], b[1]) + EPS
  )
}

/** Whether the segments a–b and c–d share at least one point. */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  if (((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))) return true
  return onSegment(a, c, d) || onSegment(b, c, d) || onSegment(c, a, b) || onSegment(d, a, b)
}

/** Whether the segments cross at a point interior to both (touching or overlapping does not count). */
export function segmentsCrossProperly(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  return ((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))
}

/** Where a point is relative to a closed ring: inside, on its boundary, or outside. */
export function ringRelation(p: Position, ring: Position[]): 'inside' | 'boundary' | 'outside' {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!
    const b = ring[j]!
    if (onSegment(p, a, b)) return 'boundary'
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
  }
  return inside ? 'inside' : 'outside'
}

/** A polygon is an outer ring followed by holes; the boundary belongs to the polygon. */
export function inPolygon(p: Position, polygon: Position[][]): boolean {
  const outer = polygon[0]
  if (!outer || ringRelation(p, outer) === 'outside') return false
  for (let h = 1; h < polygon.length; h++) if (ringRelation(p, polygon[h]!) === 'inside') return false
  return true
}

/** Consecutive pairs of a polyline or ring. */
export function* segments(line: Position[]): Iterable<[Position, Position]> {
  for (let i = 1; i < line.length; i++) yield [line[i - 1]!, line[i]!]
}
