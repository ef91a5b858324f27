import { describe, expect, it } from 'vitest'
import { haversine, distanceToSegment, inPolygon, segmentsIntersect, type Position } from '../../../electron/engine/context/embedded/geo/geo-math'
import { entityLocation, shapeOfGeoJson } from '../../../electron/engine/context/embedded/geo/shapes'
import { newEntity, type StoredEntity, type StoredMetadata } from '../../../electron/engine/context/embedded/model'
import { compileGeoQuery, parseGeoQuery, type GeoQuery } from '../../../electron/engine/context/embedded/query/geo-filter'

/** Geo math, entity locations in every accepted format, and the georel/geometry/coords parser. */

function located(type: string, value: unknown, metadata: Record<string, StoredMetadata> | null = null): StoredEntity {
  const e = newEntity('', '/', 'E', 'T', 0, 0)
  e.attrs.set('name', { type: 'Text', value: 'x', metadata: null, creDate: 0, modDate: 0 })
  e.attrs.set('location', { type, value, metadata: metadata ? new Map(Object.entries(metadata)) : null, creDate: 0, modDate: 0 })
  return e
}

function query(georel: string | undefined, geometry: string, coords: string): GeoQuery {
  const q = parseGeoQuery(georel, geometry, coords)
  if (typeof q === 'string') throw new Error(q)
  return q
}

const test = (georel: string, geometry: string, coords: string, e: StoredEntity): boolean => compileGeoQuery(query(georel, geometry, coords))!.test(e)

// The two stores of tutorial 1, [lon, lat].
const STORE_1: Position = [-46.55250126146248, -23.726831522796758]
const STORE_2: Position = [-46.5845790329862, -23.71624047588308]
const POINT: Position = [-46.5792, -23.7272]

describe('geo math', () => {
  it('measures the tutorial distances of docs/compatibility/ngsi-v2.md §8 with haversine', () => {
    expect(haversine(POINT, STORE_1)).toBeGreaterThan(2700)
    expect(haversine(POINT, STORE_1)).toBeLessThan(2740)
    expect(haversine(POINT, STORE_2)).toBeGreaterThan(1320)
    expect(haversine(POINT, STORE_2)).toBeLessThan(1350)
    expect(haversine([0, 0], [0, 1])).toBeCloseTo(111_195, -1)
  })

  it('measures the distance to a segment (perpendicular foot or nearest end)', () => {
    const d = distanceToSegment([0, 0.001], [-1, 0], [1, 0])
    expect(d).toBeCloseTo(111.2, 0)
    expect(distanceToSegment([2, 0], [-1, 0], [1, 0])).toBeCloseTo(haversine([2, 0], [1, 0]), 3)
  })

  it('knows inside, boundary and outside of polygons with holes', () => {
    const square: Position[] = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    const hole: Position[] = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]
    expect(inPolygon([3, 3], [square])).toBe(true)
    expect(inPolygon([4, 2], [square])).toBe(true)
    expect(inPolygon([5, 2], [square])).toBe(false)
    expect(inPolygon([1.5, 1.5], [square, hole])).toBe(false)
    expect(inPolygon([1, 1.5], [square, hole])).toBe(true)
  })

  it('intersects segments, touching and collinear included', () => {
    expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true)
    expect(segmentsIntersect([0, 0], [1, 0], [1, 0], [2, 5])).toBe(true)
    expect(segmentsIntersect([0, 0], [2, 0], [1, 0], [3, 0])).toBe(true)
    expect(segmentsIntersect([0, 0], [1, 0], [0, 1], [1, 1])).toBe(false)
  })
})

describe('entity locations', () => {
  it('reads geo:json geometries, Feature and FeatureCollection', () => {
    expect(entityLocation(located('geo:json', { type: 'Point', coordinates: STORE_1 }))!.points).toEqual([STORE_1])
    expect(entityLocation(located('geo:json', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }))!.lines).toHaveLength(1)
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }] }
    expect(entityLocation(located('geo:json', fc))!.polygons).toHaveLength(1)
    expect(shapeOfGeoJson({ type: 'MultiPoint', coordinates: [[0, 0], [1, 1]] })!.points).toHaveLength(2)
    expect(shapeOfGeoJson({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] })!.polygons).toHaveLength(1)
    expect(shapeOfGeoJson({ type: 'Point', coordinates: ['a', 1] })).toBeNull()
    expect(shapeOfGeoJson({ type: 'GeometryCollection', geometries: [] })).toBeNull()
  })

  it('reads the deprecated geo:point, geo:line, geo:box and geo:polygon ("lat, lon" strings)', () => {
    expect(entityLocation(located('geo:point', '-23.7162, -46.5845'))!.points).toEqual([[-46.5845, -23.7162]])
    expect(entityLocation(located('geo:line', ['0, 0', '1, 1']))!.lines[0]).toEqual([[0, 0], [1, 1]])
    expect(entityLocation(located('geo:box', ['0, 0', '2, 3']))!.geometry).toEqual({
      type: 'Polygon',
      coordinates: [[[0, 0], [3, 0], [3, 2], [0, 2], [0, 0]]]
    })
    expect(entityLocation(located('geo:polygon', ['0, 0', '0, 1', '1, 1', '0, 0']))!.polygons).toHaveLength(1)
    expect(entityLocation(located('geo:point', 'nowhere'))).toBeNull()
  })

  it('ignores locations marked ignoreType and null values', () => {
    expect(entityLocation(located('geo:json', { type: 'Point', coordinates: [0, 0] }, { ignoreType: { type: 'Boolean', value: true } }))).toBeNull()
    expect(entityLocation(located('geo:json', null))).toBeNull()
  })
})

describe('georel, geometry and coords', () => {
  it.each([
    ['near;maxDistance:1', 'circle', '1,2', 'error parsing geometry: Invalid selector in geometry specification'],
    ['near;maxDistance:1', 'point;point', '1,2', 'error parsing geometry: geometry-type present more than once'],
    ['near;maxDistance:1', ';', '1,2', 'error parsing geometry: empty geometry'],
    ['near', 'point', '1,2', 'georel /near/ without either minDistance nor maxDistance'],
    ['near;maxDistance:x', 'point', '1,2', 'invalid number for maxDistance'],
    ['near;maxDistance:1;maxDistance:2', 'point', '1,2', 'maxDistance present more than once'],
    ['intersects;maxDistance:1', 'point', '1,2', 'maxDistance erroneously used with georel /intersects/'],
    ['near;intersects;maxDistance:1', 'point', '1,2', 'georel type present more than once'],
    ['inside', 'point', '1,2', 'Invalid modifier in georel parameter'],
    ['coveredBy', 'line', '1,2;3,4', 'line geometry cannot be used with coveredBy georel'],
    ['coveredBy', 'point', '1,2', 'point geometry cannot be used with coveredBy georel'],
    ['near;maxDistance:12', 'box', '1,2;3,4', 'georel /near/ used with geometry different than point'],
    ['intersects', 'point', '1,2,3', 'invalid point in URI param /coords/'],
    ['intersects', 'point', '1;3,4', 'invalid point in URI param /coords/'],
    ['intersects', 'point', 'a,b', 'invalid coordinates'],
    ['intersects', 'point', '1,2;3,4', 'invalid number of coordinates for /point/'],
    ['intersects', 'line', '1,2', 'invalid number of coordinates for /line/'],
    ['intersects', 'box', '1,2', 'invalid number of coordinates for /box/'],
    ['coveredBy', 'box', '1,2;3,2', 'box coordinates are not defining an actual box'],
    ['intersects', 'polygon', '1,2;3,4', 'Too few coordinates for polygon'],
    ['intersects', 'polygon', '1,2;3,4;5,6;7,8', 'First and last point in polygon not the same'],
    ['intersects', 'point', '', 'no coordinates for geometry'],
    ['intersects', 'point', ';;', 'erroneous coordinates for geometry']
  ])('georel=%s geometry=%s coords=%s → %s', (georel, geometry, coords, message) => {
    expect(parseGeoQuery(georel, geometry, coords)).toBe(message)
  })

  it('takes coords as lat,lon (white space tolerated) and builds Orion’s shapes', () => {
    const q = query('near;maxDistance:1500', 'point', '-23.7272, -46.5792')
    expect(q.point).toEqual([-46.5792, -23.7272])
    expect(q.maxDistance).toBe(1500)
    expect(query('coveredBy', 'box', '0,0;2,3').shape.geometry).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 2], [0, 2], [0, 0]]] })
    expect(query('intersects', 'line', '0,0;1,1').shape.geometry.type).toBe('LineString')
    expect(compileGeoQuery(query(undefined, 'point', '1,2'))).toBeNull()
  })
})

describe('geo predicates', () => {
  const store1 = located('geo:json', { type: 'Point', coordinates: STORE_1 })
  const store2 = located('geo:json', { type: 'Point', coordinates: STORE_2 })

  it('near: max and min distance, spherical', () => {
    expect(test('near;maxDistance:1500', 'point', '-23.7272, -46.5792', store1)).toBe(false)
    expect(test('near;maxDistance:1500', 'point', '-23.7272, -46.5792', store2)).toBe(true)
    expect(test('near;minDistance:1500', 'point', '-23.7272,-46.5792', store1)).toBe(true)
    expect(test('near;minDistance:1500;maxDistance:3000', 'point', '-23.7272,-46.5792', store2)).toBe(false)
    const q = compileGeoQuery(query('near;maxDistance:5000', 'point', '-23.7272,-46.5792'))!
    expect(q.distance!(store2)).toBeLessThan(q.distance!(store1))
    expect(q.test(located('Text', 'no location'))).toBe(false)
  })

  it('near a line or a polygon measures to its nearest part', () => {
    const road = located('geo:json', { type: 'LineString', coordinates: [[-1, 0], [1, 0]] })
    expect(test('near;maxDistance:200', 'point', '0.001,0', road)).toBe(true)
    expect(test('near;maxDistance:100', 'point', '0.001,0', road)).toBe(false)
    const park = located('geo:json', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] })
    expect(test('near;maxDistance:1', 'point', '0.5,0.5', park)).toBe(true)
  })

  it('coveredBy, intersects, disjoint and equals', () => {
    const inside = located('geo:json', { type: 'Point', coordinates: [1, 1] })
    const border = located('geo:point', '0, 1')
    const crossing = located('geo:json', { type: 'LineString', coordinates: [[1, 1], [5, 1]] })
    expect(test('coveredBy', 'polygon', '0,0;0,2;2,2;2,0;0,0', inside)).toBe(true)
    expect(test('coveredBy', 'polygon', '0,0;0,2;2,2;2,0;0,0', border)).toBe(true)
    expect(test('coveredBy', 'box', '0,0;2,2', crossing)).toBe(false)
    expect(test('intersects', 'box', '0,0;2,2', crossing)).toBe(true)
    expect(test('intersects', 'line', '-1,3;3,3', crossing)).toBe(true)
    expect(test('disjoint', 'box', '0,0;2,2', crossing)).toBe(false)
    expect(test('disjoint', 'box', '10,10;12,12', crossing)).toBe(true)
    expect(test('disjoint', 'box', '10,10;12,12', located('Text', 'no location'))).toBe(false)
    expect(test('equals', 'point', '1,1', inside)).toBe(true)
    expect(test('equals', 'point', '1,1.5', inside)).toBe(false)
    expect(test('equals', 'line', '1,1;1,5', crossing)).toBe(true)
  })
})
