import { compileUserPattern } from '../user-pattern/user-pattern'

/**
 * The JEXL transformations of the IoT Agent library (docs/compatibility/iot-agent-ul.md §4.7),
 * written after their documented JavaScript equivalents, with the same failure behaviour: the
 * transformations the library guards answer `null` on bad input, the others throw (and an
 * attribute whose expression throws is left out of the update).
 *
 * `replaceregexp` and `replaceallregexp` run their pattern in the linear-time engine of
 * user-pattern.ts rather than JavaScript's backtracking one: a pattern it cannot run (a
 * backreference, a lookaround) fails like an invalid pattern, with `null`.
 */

type Transform = (value: unknown, ...args: unknown[]) => unknown

/** The transformations whose second argument is a regular expression. */
export const REGEX_TRANSFORMS: ReadonlySet<string> = new Set(['replaceregexp', 'replaceallregexp'])

/** `fn` with any exception turned into `null`, as the library's "safe" transformations do. */
function safe<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => unknown {
  return (...args: A) => {
    try {
      return fn(...args)
    } catch {
      return null
    }
  }
}

/** A Date of `value` (any JavaScript Date input), or null when it is not a valid date. */
function dateOf(value: unknown): Date | null {
  const d = new Date(value as string | number | Date)
  return Number.isNaN(d.getTime()) ? null : d
}

function numberOrNull(n: number): number | null {
  return Number.isNaN(n) ? null : n
}

/** Calls a method of `target` as JavaScript would (`target.name(...args)`), throwing a TypeError when it has none. */
function invoke(target: unknown, name: string, ...args: unknown[]): unknown {
  const fn = target === null || target === undefined ? undefined : (target as Record<string, unknown>)[name]
  if (typeof fn !== 'function') throw new TypeError(`${describe(target)}.${name} is not a function`)
  return (fn as (...a: unknown[]) => unknown).apply(target, args)
}

/** `str.replace(new RegExp(reg[, 'g']), to)` of the library, on a linear-time engine; throws as it would. */
function replaceRegex(str: unknown, reg: unknown, to: unknown, all: boolean): string {
  if (typeof str !== 'string') throw new TypeError(`${describe(str)}.replace is not a function`)
  // As `new RegExp(reg)` and `replace(…, to)` convert them: any value becomes its text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- JavaScript's own conversion is the point
  const source = reg === undefined ? '' : String(reg)
  const compiled = compileUserPattern(source)
  if (!compiled.ok) throw new SyntaxError(`Invalid regular expression: /${source}/${compiled.problem.detail ? `: ${compiled.problem.detail}` : ''}`)
  return compiled.pattern.replace(str, String(to), all)
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

function hexToString(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value) || value.length % 2 !== 0) return null
  const bytes = new Uint8Array(value.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(value.slice(2 * i, 2 * i + 2), 16)
  return new TextDecoder().decode(bytes)
}

/** 32-bit string hash, as 8 upper-case hex digits of its absolute value. */
function hashOf(value: unknown): string {
  const str = String(value)
  let h = 0
  for (let i = 0; i < str.length; i++) h = ((h << 5) - h + str.charCodeAt(i)) | 0
  return Math.abs(h).toString(16).toUpperCase().padStart(8, '0')
}

export const TRANSFORMS: Readonly<Record<string, Transform>> = {
  jsonparse: safe((val: unknown) => JSON.parse(val as string) as unknown),
  jsonstringify: safe((val: unknown) => JSON.stringify(val)),
  indexOf: (val, char) => String(val).indexOf(char as string),
  length: (val) => String(val).length,
  trim: (val) => String(val).trim(),
  substr: (val, start, len) => invoke(String(val), 'substr', start, len),
  addreduce: safe((arr: unknown) => invoke(arr, 'reduce', (i: unknown, v: unknown) => (i as number) + (v as number))),
  lengtharray: (arr) => (arr as { length: unknown }).length,
  typeof: (val) => typeof val,
  isarray: (val) => Array.isArray(val),
  isnan: (val) => Number.isNaN(Number(val)),
  parseint: (val) => numberOrNull(Number.parseInt(String(val), 10)),
  parsefloat: (val) => numberOrNull(Number.parseFloat(String(val))),
  toisodate: (val) => dateOf(val)?.toISOString() ?? null,
  timeoffset: (val) => dateOf(val)?.getTimezoneOffset() ?? null,
  tostring: safe((val: unknown) => invoke(val, 'toString')),
  urlencode: (val) => encodeURI(String(val)),
  urldecode: safe((val: unknown) => decodeURI(String(val))),
  replacestr: (str, from, to) => invoke(str, 'replace', from, to),
  replaceregexp: safe((str: unknown, reg: unknown, to: unknown) => replaceRegex(str, reg, to, false)),
  replaceallstr: (str, from, to) => invoke(str, 'replaceAll', from, to),
  replaceallregexp: safe((str: unknown, reg: unknown, to: unknown) => replaceRegex(str, reg, to, true)),
  split: (str, ch) => invoke(str, 'split', ch),
  joinarrtostr: (arr, ch) => invoke(arr, 'join', ch),
  concatarr: (arr, arr2) => invoke(arr, 'concat', arr2),
  mapper: (val, values, choices) => (choices as unknown[])[invoke(values, 'findIndex', (t: unknown) => t === val) as number],
  thmapper: (val, values, choices) => {
    const index = invoke(values, 'reduce', (acc: number | null, curr: unknown, i: number) => (acc !== null ? acc : (val as number) <= (curr as number) ? i : null), null)
    return (choices as Record<string, unknown>)[String(index)]
  },
  bitwisemask: (i, mask, op, shf) => {
    const n = Number.parseInt(String(i))
    const m = mask as number
    const r = op === '&' ? n & m : op === '|' ? n | m : op === '^' ? n ^ m : (i as number)
    return r >> (shf as number)
  },
  slice: (arr, init, end) => invoke(arr, 'slice', init, end),
  addset: (arr, x) => Array.from(new Set(arr as Iterable<unknown>).add(x)),
  removeset: (arr, x) => {
    const s = new Set(arr as Iterable<unknown>)
    s.delete(x)
    return Array.from(s)
  },
  touppercase: (val) => String(val).toUpperCase(),
  tolowercase: (val) => String(val).toLowerCase(),
  floor: (val) => Math.floor(val as number),
  ceil: (val) => Math.ceil(val as number),
  round: (val) => Math.round(val as number),
  tofixed: (val, decimals) => {
    const num = Number.parseFloat(String(val))
    const dec = Number.parseInt(String(decimals))
    return Number.isNaN(num) || Number.isNaN(dec) ? null : num.toFixed(dec)
  },
  gettime: (val) => dateOf(val)?.getTime() ?? null,
  toisostring: (val) => dateOf(val)?.toISOString() ?? null,
  localestring: safe((d: unknown, timezone: unknown, options: unknown) =>
    new Date(d as string).toLocaleString(timezone as string | undefined, options as Intl.DateTimeFormatOptions | undefined)
  ),
  localestringnumber: safe((n: unknown, locale: unknown, options: unknown) =>
    typeof n !== 'number' || Number.isNaN(n) ? null : n.toLocaleString(locale as string | undefined, options as Intl.NumberFormatOptions | undefined)
  ),
  now: () => Date.now(),
  hextostring: safe(hexToString),
  valuePicker: (val, pick) =>
    Object.entries(val as object)
      .filter(([, v]) => v === pick)
      .map(([k]) => k),
  valuePickerMulti: (val, pick) =>
    Object.entries(val as object)
      .filter(([, v]) => invoke(pick, 'includes', v) as boolean)
      .map(([k]) => k),
  hash: safe(hashOf)
}
