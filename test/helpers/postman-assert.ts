import { expect, it } from 'vitest'
import type { CollectionRequest, Exchange } from './postman-collection-run'

/**
 * Assertions on newman's answers for the replay of the Postman collection
 * (test/integration/postman-collection.test.ts): each failure names the request, what FIWARE
 * answers and what came back.
 */

/** The failure message: which request, what was expected, what came back. */
export function at(r: Exchange, expected: string): string {
  const shown = ['content-type', 'location', 'fiware-total-count'].filter((h) => r.headers[h] !== undefined).map((h) => `${h}: ${r.headers[h]}`)
  const actual = r.error !== undefined ? `transport error: ${r.error}` : `${r.status} [${shown.join('; ')}] ${r.text.length > 600 ? `${r.text.slice(0, 600)}…` : r.text}`
  return `${r.label} "${r.name}" (${r.method} ${r.url}) — expected ${expected} — actual answer: ${actual}`
}

export const ex = (r: Exchange, expected: string, value: unknown) => expect(value, at(r, expected))

export function status(r: Exchange, code: number): void {
  ex(r, `status ${code}`, r.status).toBe(code)
}

/** 201 with `Location`, no body and no Content-Type (docs/compatibility/ngsi-v2.md §1.1). */
export function created(r: Exchange, location: string | RegExp): string {
  status(r, 201)
  if (typeof location === 'string') ex(r, `Location ${location}`, r.headers.location).toBe(location)
  else ex(r, `Location matching ${location}`, r.headers.location).toMatch(location)
  ex(r, 'no body, Content-Length: 0', [r.text, r.headers['content-length']]).toEqual(['', '0'])
  ex(r, 'no Content-Type', r.headers['content-type']).toBeUndefined()
  return r.headers.location!
}

/** 204, no body, no Content-Type. */
export function noContent(r: Exchange): void {
  status(r, 204)
  ex(r, 'no body', r.text).toBe('')
  ex(r, 'no Content-Type', r.headers['content-type']).toBeUndefined()
}

/** `code`, `Content-Type: application/json` and exactly `text` (Orion's compact JSON, key order included). */
export function jsonText(r: Exchange, code: number, text: string): void {
  status(r, code)
  ex(r, 'Content-Type application/json', r.headers['content-type']).toBe('application/json')
  ex(r, `body ${text}`, r.text).toBe(text)
}

/** Orion's error answer `{"error","description"}`, exactly. */
export function ngsiError(r: Exchange, code: number, error: string, description: string): void {
  jsonText(r, code, JSON.stringify({ error, description }))
}

export interface Expectation {
  label: string
  name: string
  /** What Orion / the agent answer, in words (test title). */
  expected: string
  check(r: Exchange): void | Promise<void>
}

/**
 * One test per request of a folder, after a test that the expectations cover the folder exactly,
 * in order. `got` holds newman's answers by label; answers of the context broker (`ngsiOrigin`)
 * must also carry Fiware-Correlator and Date (docs/compatibility/ngsi-v2.md §1.1).
 */
export function checkFolder(requests: CollectionRequest[], expectations: Expectation[], ctx: { got: ReadonlyMap<string, Exchange>; ngsiOrigin: () => string }): void {
  it(`one expectation per request of the folder, in collection order`, () => {
    expect(expectations.map((e) => `${e.label} ${e.name}`)).toEqual(requests.map((r) => `${r.label} ${r.name}`))
  })
  for (const e of expectations) {
    it(`${e.label} "${e.name}" → ${e.expected}`, async () => {
      const r = ctx.got.get(e.label)
      expect(r, `${e.label} "${e.name}" was not run`).toBeDefined()
      ex(r!, 'an HTTP answer', r!.error).toBeUndefined()
      if (r!.url.startsWith(`${ctx.ngsiOrigin()}/`)) {
        ex(r!, 'a Fiware-Correlator header (UUID)', r!.headers['fiware-correlator']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
        ex(r!, 'a Date header', r!.headers.date).toBeDefined()
      }
      await e.check(r!)
    })
  }
}
