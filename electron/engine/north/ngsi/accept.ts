/**
 * The `Accept` header as Orion reads it (acceptParse/acceptItemParse in rest.cpp): only
 * `*\/*`, `application/*`, `application/json`, `text/*` and `text/plain` are understood; other
 * media ranges are ignored, q-values only decide which representation a `/value` answer uses.
 */

export interface AcceptedType {
  range: string
  q: number
}

export interface AcceptInfo {
  types: AcceptedType[]
  /** Status and description of a malformed or useless header (400 or 406), if any. */
  error: { status: number; description: string } | null
}

const KNOWN = new Set(['*/*', 'application/*', 'application/json', 'text/*', 'text/plain'])

export function parseAccept(header: string | undefined): AcceptInfo {
  const info: AcceptInfo = { types: [], error: null }
  if (header === undefined) {
    info.types.push({ range: '*/*', q: 1 })
    return info
  }
  if (header === '') {
    info.error = { status: 400, description: 'empty accept header' }
    return info
  }
  for (const rawItem of header.split(',')) {
    const item = rawItem.replace(/^[ \t]+/, '')
    if (item === '') continue
    const semi = item.indexOf(';')
    const range = semi === -1 ? item : item.slice(0, semi)
    if (!KNOWN.has(range)) continue
    if (semi === -1) {
      info.types.push({ range, q: 1 })
      continue
    }
    const rest = item.slice(semi + 1).replace(/^[ \t]+/, '')
    if (rest === '') {
      info.types.push({ range, q: 1 })
      continue
    }
    const fail = (description: string): void => {
      info.error = { status: 400, description }
    }
    if (rest[0] !== 'q') fail('q missing in accept header')
    else if (rest[1] !== '=') fail('missing equal-sign after q in accept header')
    else {
      const qText = rest.slice(2).split(';')[0]!
      if (qText === '') fail('qvalue in accept header is missing')
      else if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(qText)) fail('qvalue in accept header is not a number')
      else info.types.push({ range, q: Number(qText) })
    }
  }
  if (info.types.length === 0 && !info.error) info.error = { status: 406, description: 'no acceptable mime-type in accept header' }
  return info
}

/** HttpHeaders::accepted: whether a MIME type is acceptable. */
export function accepts(info: AcceptInfo, mime: 'application/json' | 'text/plain'): boolean {
  return info.types.some(
    (t) =>
      t.range === mime ||
      t.range === '*/*' ||
      (mime === 'application/json' && t.range === 'application/*') ||
      (mime === 'text/plain' && t.range === 'text/*')
  )
}

/** acceptHeadersAcceptable: JSON, or text on `…/value` URLs. */
export function acceptable(info: AcceptInfo, textAllowed: boolean): boolean {
  return info.types.some(
    (t) =>
      t.range === '*/*' ||
      t.range === 'application/*' ||
      t.range === 'application/json' ||
      (textAllowed && (t.range === 'text/*' || t.range === 'text/plain'))
  )
}

/** outformatSelect: the preferred representation (first one, unless a later one has a higher q). */
export function preferred(info: AcceptInfo): 'json' | 'text' {
  let best = info.types[0]
  for (const t of info.types.slice(1)) if (best && t.q > best.q) best = t
  return best && (best.range === 'text/*' || best.range === 'text/plain') ? 'text' : 'json'
}
