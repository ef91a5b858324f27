import { describe, expect, it } from 'vitest'
import {
  compileUserPattern,
  MAX_PATTERN_LENGTH,
  MAX_PROGRAM_SIZE,
  MAX_REPLACE_COST,
  PatternCache,
  PatternCostError,
  patternErrorDescription,
  type UserPattern
} from '../../../electron/engine/user-pattern/user-pattern'

function compiled(source: string): UserPattern {
  const c = compileUserPattern(source)
  if (!c.ok) throw new Error(`${source} refused: ${c.problem.kind} ${c.problem.detail}`)
  return c.pattern
}

function problemOf(source: string): { kind: string; detail: string } {
  const c = compileUserPattern(source)
  if (c.ok) throw new Error(`${source} accepted`)
  return c.problem
}

// Patterns of the tutorials, the Postman collection and the IoT Agent's documentation, with texts around them.
const ORDINARY = [
  '^urn:ngsi-ld:Store:.*',
  '.*',
  'Product:0[0-9]+',
  '^urn:ngsi-ld:Product:',
  'urn:ngsi-ld:Shelf:unit00[1-3]$',
  '^(Store|Shelf)$',
  'Motion|Door',
  '^[A-Z][a-z]+$',
  '\\d{3}',
  '\\bBell\\b',
  '^\\s*$',
  'a.c',
  '[^:]+:[^:]+',
  '(?:ab)+',
  '^$',
  'ñ',
  '\\.',
  '\\/',
  '\\u0041',
  'x{2,}'
]
const TEXTS = [
  'urn:ngsi-ld:Store:001',
  'urn:ngsi-ld:Product:010',
  'urn:ngsi-ld:Shelf:unit002',
  'Product:0',
  'Store',
  'Shelf',
  'Motion001',
  'Door',
  'Bell 001',
  'Smart Bell',
  '',
  '   ',
  'abc',
  'a\nc',
  'año',
  'x.y/z',
  'AXX',
  'xx'
]

describe('a user pattern', () => {
  it.each(ORDINARY)('%s finds what a JavaScript RegExp finds', (source) => {
    const js = new RegExp(source)
    const p = compiled(source)
    for (const text of TEXTS) expect(p.test(text), JSON.stringify(text)).toBe(js.test(text))
  })

  it.each([
    ['a.', '_', 'banana'],
    ['(a)(n)', '$2$1', 'banana'],
    ['n', '[$&]', 'banana'],
    ['n', "<$`|$'>", 'banana'],
    ['(?<v>\\d+)', '#$<v>', 'v=12;w=345'],
    ['x*', '-', 'abc'],
    ['', '-', 'abc'],
    ['\\s+', ' ', 'a  b\t\tc'],
    ['b', '$$', 'abc'],
    ['z', 'y', 'abc'],
    ['(a)|(x)', '[$2]', 'a']
  ])('replaces %s by %s in %s as String.prototype.replace does', (source, to, text) => {
    const p = compiled(source)
    expect(p.replace(text, to, false)).toBe(text.replace(new RegExp(source), to))
    expect(p.replace(text, to, true)).toBe(text.replace(new RegExp(source, 'g'), to))
  })

  it('refuses an invalid pattern as invalid, with no detail of its own', () => {
    for (const source of ['(', '[', '*x', 'a)', '+']) expect(problemOf(source)).toEqual({ kind: 'invalid', detail: '' })
  })

  it('refuses what the linear-time engine cannot run, saying why', () => {
    expect(problemOf('(a)\\1')).toEqual({ kind: 'unsupported', detail: 'the linear-time regex engine cannot run it: backreferences are not supported: \\1' })
    expect(problemOf('(?<x>a)\\k<x>').detail).toContain('backreferences are not supported')
    expect(problemOf('a(?=b)').detail).toBe('the linear-time regex engine cannot run it: lookahead is not supported')
    expect(problemOf('a(?!b)').detail).toBe('the linear-time regex engine cannot run it: lookahead is not supported')
    expect(problemOf('(?<=a)b').detail).toBe('the linear-time regex engine cannot run it: lookbehind is not supported')
    expect(problemOf('(?<!a)b').detail).toBe('the linear-time regex engine cannot run it: lookbehind is not supported')
    expect(problemOf('a{1001}').detail).toContain('repeat counts above 1000 are not supported')
    for (const source of ['(a)\\1', 'a(?=b)', '(?<=a)b', 'a{1001}']) expect(problemOf(source).kind).toBe('unsupported')
  })

  it('refuses a pattern longer than the limit, and a program larger than the limit', () => {
    // The length bounds the work of compiling; the program size bounds the work of matching.
    expect(compileUserPattern('(?:)'.repeat(MAX_PATTERN_LENGTH / 4)).ok).toBe(true)
    expect(problemOf('a'.repeat(MAX_PATTERN_LENGTH)).kind).toBe('too-complex')
    expect(problemOf('a'.repeat(MAX_PATTERN_LENGTH + 1))).toEqual({
      kind: 'too-long',
      detail: `longer than ${MAX_PATTERN_LENGTH} characters, the limit of the linear-time regex engine`
    })
    expect(problemOf('a'.repeat(100_000)).kind).toBe('too-long')
    const big = problemOf('.{600}')
    expect(big.kind).toBe('too-complex')
    expect(big.detail).toMatch(new RegExp(`^too complex for the linear-time regex engine: \\d+ instructions, at most ${MAX_PROGRAM_SIZE}$`))
    expect(compileUserPattern('.{400}').ok).toBe(true)
  })

  it('searches a catastrophic pattern of a backtracking engine in one pass', () => {
    const p = compiled('^(a+)+$')
    expect(p.test('a'.repeat(10_000) + '!')).toBe(false)
    expect(p.test('a'.repeat(10_000))).toBe(true)
    expect(compiled('(a|aa)+$').test('a'.repeat(10_000) + '!')).toBe(false)
    expect(p.replace('a'.repeat(10_000) + '!', 'x', false)).toBe('a'.repeat(10_000) + '!')
  })

  it('refuses a replacement that would cost more than the limit', () => {
    const p = compiled('(\\w|\\d){100}!')
    const long = 'a'.repeat(Math.ceil(MAX_REPLACE_COST / 100))
    expect(() => p.replace(long, 'x', true)).toThrow(PatternCostError)
    expect(p.replace('a'.repeat(100) + '!', 'x', true)).toBe('x')
  })

  it('builds error descriptions: the base text alone for an invalid pattern, with the reason otherwise', () => {
    expect(patternErrorDescription('Invalid regex for entity idPattern', { kind: 'invalid', detail: '' })).toBe('Invalid regex for entity idPattern')
    expect(patternErrorDescription('Invalid regex for entity idPattern', { kind: 'unsupported', detail: 'why' })).toBe('Invalid regex for entity idPattern: why')
  })
})

describe('the pattern cache', () => {
  it('keeps at most its capacity, most recently used last', () => {
    const cache = new PatternCache(3)
    const first = cache.compile('a')
    cache.compile('b')
    cache.compile('c')
    expect(cache.compile('a')).toBe(first)
    cache.compile('d')
    expect(cache.size).toBe(3)
    // 'b' was the least recently used: compiling it again gives a new object.
    const b = cache.compile('b')
    expect(cache.compile('b')).toBe(b)
    expect(cache.compile('a')).toBe(first)
  })

  it('does not keep refusals for length', () => {
    const cache = new PatternCache(3)
    cache.compile('x'.repeat(MAX_PATTERN_LENGTH + 1))
    expect(cache.size).toBe(0)
    cache.compile('(')
    expect(cache.size).toBe(1)
  })
})
