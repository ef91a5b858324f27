import { compileUserPattern, patternErrorDescription, type UserPattern } from '../../../user-pattern/user-pattern'
import { parseIsoDate } from '../datetime'
import { parseDecimal } from '../entity-json'
import { badRequest } from '../errors'
import { hasForbiddenChars } from '../identifiers'

/**
 * The Simple Query Language of `q` and `mq` (docs/compatibility/ngsi-v2.md §2.2), parsed the way Orion's StringFilter.cpp
 * does it — including its scanning rules (first operator outside single quotes wins, `:` is
 * `==`, statements split on every `;`) and its error messages.
 */

export type QueryLanguage = 'q' | 'mq'

export type QueryOp = 'exists' | 'notExists' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'match'

export type ScalarKind = 'number' | 'date' | 'string'

export type QueryValue =
  | { kind: 'none' }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  /** Milliseconds since the epoch. */
  | { kind: 'date'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'range'; of: ScalarKind; from: number | string; to: number | string }
  | { kind: 'list'; of: ScalarKind; values: Array<number | string>; hasNull: boolean }
  | { kind: 'regex'; regex: UserPattern }

export interface QueryStatement {
  op: QueryOp
  /** Attribute name (or a builtin: dateCreated, dateModified, servicePath). */
  attr: string
  /** mq only: the metadata name. */
  metadata: string
  /** Path inside a compound value (q) or inside the metadata value (mq). */
  path: string[]
  value: QueryValue
}

const OP_NAMES: Record<QueryOp, string> = {
  exists: 'Exists',
  notExists: 'NotExists',
  eq: 'Equals',
  ne: 'Differs',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  match: 'MatchPattern'
}

function fail(description: string): never {
  throw badRequest(description)
}

/** Parses a whole q/mq expression into its statements (AND-ed). */
export function parseSimpleQuery(text: string, language: QueryLanguage): QueryStatement[] {
  if (text === '' || text === ';') fail('empty q')
  if (text.includes(';;')) fail('empty q-item')
  // One trailing ';' is tolerated ("price<50;" from the subscription tutorial).
  const body = (text.endsWith(';') ? text.slice(0, -1) : text).trim()
  if (body === '') fail('empty q')
  if (body.endsWith(';')) fail('empty q-item')
  const statements: QueryStatement[] = []
  for (const raw of body.split(';')) {
    if (raw === '') continue
    const item = raw.trim()
    if (item === '') fail('empty q-item (only whitespace)')
    statements.push(parseStatement(item, language))
  }
  if (language === 'mq') {
    for (const s of statements) {
      if (s.attr === '') fail('no attribute name - not valid for metadata filters')
      if (s.metadata === '') fail('no metadata name - not valid for metadata filters')
    }
  }
  return statements
}

interface Split {
  op: QueryOp
  lhs: string
  rhs: string
}

/** opFind(): the first operator outside single quotes; none means "exists". */
function findOperator(s: string): Split {
  if (s.startsWith('!')) return { op: 'notExists', lhs: s.slice(1), rhs: s.slice(1) }
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === "'") {
      quoted = !quoted
      continue
    }
    if (quoted) continue
    if (s[i + 1] === '=') {
      const op = c === '=' ? 'eq' : c === '~' ? 'match' : c === '!' ? 'ne' : c === '>' ? 'ge' : c === '<' ? 'le' : null
      if (op) return { op, lhs: s.slice(0, i), rhs: s.slice(i + 2) }
    } else if (c === '<' || c === '>' || c === ':') {
      return { op: c === '<' ? 'lt' : c === '>' ? 'gt' : 'eq', lhs: s.slice(0, i), rhs: s.slice(i + 1) }
    }
  }
  return { op: 'exists', lhs: s, rhs: s }
}

/** Splits a left-hand side on dots outside single quotes, dropping the quotes. */
function lhsTokens(lhs: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (const c of lhs) {
    if (c === "'") quoted = !quoted
    else if (c === '.' && !quoted) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

/** forbiddenQuotes(): quotes are only allowed around dot-separated tokens. */
function hasMisplacedQuote(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    if (s[i] !== "'") continue
    if (s[i - 1] === '.' || s[i + 1] === '.' || i === s.length - 1) continue
    return true
  }
  return false
}

function parseStatement(item: string, language: QueryLanguage): QueryStatement {
  const { op, lhs: rawLhs, rhs: rawRhs } = findOperator(item)
  const lhs = rawLhs.trim()
  const rhs = rawRhs.trim()
  const unary = op === 'exists' || op === 'notExists'
  if (lhs === '' && !unary) fail('empty left-hand-side in q-item')
  if (hasForbiddenChars(lhs.replace(/'/g, ''))) fail(`invalid character found in URI param /${language}/`)

  const tokens = lhsTokens(lhs)
  const attr = tokens[0] ?? ''
  let metadata = ''
  let path: string[]
  if (language === 'mq') {
    metadata = tokens[1] ?? ''
    path = tokens.length > 2 ? tokens.slice(2) : []
  } else path = tokens.length > 1 && !(tokens.length === 2 && tokens[1] === '') ? tokens.slice(1) : []

  if (rhs === '') fail('empty right-hand-side in q-item')
  const statement: QueryStatement = { op, attr, metadata, path, value: { kind: 'none' } }
  if (unary) {
    if (hasMisplacedQuote(rhs)) fail('forbidden characters in String Filter')
    if (language === 'mq' && metadata === '') fail('no metadata in right-hand-side of q-item')
  } else if (op === 'match') {
    if (hasForbiddenChars(rhs)) fail('forbidden characters in String Filter')
    const compiled = compileUserPattern(rhs)
    if (!compiled.ok) fail(patternErrorDescription(`error compiling filter regex: '${rhs}'`, compiled.problem))
    statement.value = { kind: 'regex', regex: compiled.pattern }
  } else if (rhs.includes('..')) statement.value = parseRange(rhs, op)
  else if (rhs.includes(',')) statement.value = parseList(rhs, op)
  else statement.value = parseSingle(rhs, op)
  return statement
}

type Scalar = { kind: 'string'; value: string } | { kind: 'number' | 'date'; value: number } | { kind: 'bool'; value: boolean } | { kind: 'null' }

/** valueGet(): forced string, number, ISO 8601 date, true/false, null, else plain string. */
function parseScalar(s: string): Scalar {
  let v: Scalar
  if (s.startsWith("'")) {
    let inner = s.slice(1)
    if (!inner.endsWith("'")) fail('non-terminated forced string')
    inner = inner.slice(0, -1)
    if (inner.includes("'")) fail('quote in forced string')
    v = { kind: 'string', value: inner }
  } else {
    const n = parseDecimal(s)
    const d = n === null ? parseIsoDate(s) : null
    if (n !== null) v = { kind: 'number', value: n }
    else if (d !== null) v = { kind: 'date', value: d }
    else if (s === 'true' || s === 'false') v = { kind: 'bool', value: s === 'true' }
    else if (s === 'null') v = { kind: 'null' }
    else v = { kind: 'string', value: s }
  }
  if (v.kind === 'string' && hasForbiddenChars(v.value)) fail('forbidden characters in String Filter')
  return v
}

function parseSingle(s: string, op: QueryOp): QueryValue {
  const v = parseScalar(s)
  if ((op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') && (v.kind === 'bool' || v.kind === 'null')) {
    fail(`values of type /${v.kind === 'bool' ? 'Bool' : 'Null'}/ not supported for operator /${OP_NAMES[op]}/`)
  }
  return v
}

function parseRange(s: string, op: QueryOp): QueryValue {
  if (op !== 'eq' && op !== 'ne') fail('ranges only valid for equal and not equal ops')
  const at = s.indexOf('..')
  const fromText = s.slice(0, at).trim()
  const toText = s.slice(at + 2).trim()
  if (fromText === '' || toText === '') fail('empty item in range')
  const from = parseScalar(fromText)
  if (from.kind !== 'string' && from.kind !== 'number' && from.kind !== 'date') fail('invalid data type for /range-from/')
  const to = parseScalar(toText)
  if (to.kind !== 'string' && to.kind !== 'number' && to.kind !== 'date') fail('invalid data type for /range-to/')
  if (from.kind !== to.kind) fail('invalid range: types mixed')
  return { kind: 'range', of: from.kind, from: from.value, to: to.value }
}

function parseList(s: string, op: QueryOp): QueryValue {
  if (op !== 'eq' && op !== 'ne') fail('lists only valid for equal and not equal ops')
  const items: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "'") quoted = !quoted
    if (s[i] === ',' && !quoted) {
      items.push(s.slice(start, i))
      start = i + 1
      if (start === s.length) fail('empty item in list')
    }
  }
  if (start < s.length) items.push(s.slice(start))
  let of: ScalarKind | null = null
  let hasNull = false
  const values: Array<number | string> = []
  for (const raw of items) {
    const text = raw.trim()
    if (text === '') fail('empty item in list')
    const v = parseScalar(text)
    const kind: ScalarKind | null = v.kind === 'null' ? 'string' : v.kind === 'bool' ? null : v.kind
    if (kind === null || (of !== null && of !== kind)) fail('invalid JSON value type in list')
    of = kind
    if (v.kind === 'null') hasNull = true
    else values.push(v.value as number | string)
  }
  return { kind: 'list', of: of ?? 'string', values, hasNull }
}
