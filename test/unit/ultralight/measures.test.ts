import { describe, expect, it } from 'vitest'
import { parseMeasures, UlParseError, type UlCommandLine, type UlMeasureGroup } from '../../../electron/engine/ultralight'
import { toReferenceShape } from './reference-shape'

function parseError(payload: string): UlParseError {
  try {
    parseMeasures(payload)
  } catch (e) {
    expect(e).toBeInstanceOf(UlParseError)
    return e as UlParseError
  }
  throw new Error(`expected ${JSON.stringify(payload)} to be rejected`)
}

function onlyGroup(payload: string): UlMeasureGroup {
  const groups = parseMeasures(payload)
  expect(groups).toHaveLength(1)
  const g = groups[0]!
  if (g.kind !== 'measures') throw new Error('expected a measure group')
  return g
}

function onlyCommand(payload: string): UlCommandLine {
  const groups = parseMeasures(payload)
  expect(groups).toHaveLength(1)
  const g = groups[0]!
  if (g.kind !== 'command') throw new Error('expected a command line')
  return g
}

describe('parseMeasures: verified outputs of docs/compatibility/iot-agent-ul.md §2.1 (verbatim)', () => {
  const cases: [string, unknown][] = [
    ['t|25.3|rh|60', [{ t: 25.3, rh: 60 }]],
    ['a|1', [{ a: 1 }]],
    ['2016-06-13T00:35:30Z|lle|100', [{ lle: 100, TimeInstant: '2016-06-13T00:35:30Z' }]],
    ['|c|7|b|18', [{ c: 7, b: 18 }]],
    ['c|7#b|18', [{ c: 7 }, { b: 18 }]],
    ['gps|1.2/3.4#t|10', [{ gps: '1.2/3.4' }, { t: 10 }]],
    ['T1|a|1#T2|b|2', [{ a: 1, TimeInstant: 'T1' }, { b: 2, TimeInstant: 'T2' }]],
    ['a|1|b', [{ '1': 'b', TimeInstant: 'a' }]],
    [
      't| 25 |s|"quoted"|n|null|b|true|x|None|z|007|e|1e3|arr|[1,2]|o|{"a":1}',
      [{ t: 25, s: 'quoted', n: null, b: true, x: 'None', z: '007', e: 1000, arr: [1, 2], o: { a: 1 } }]
    ],
    ['k|v=1', [{ k: 'v=1' }]],
    ['t|25\n', [{ t: 25 }]],
    ['dev@ping|MADE_OK', [{ deviceId: 'dev', command: 'ping', value: 'MADE_OK' }]],
    ['dev@ping|a=1|b=2', [{ deviceId: 'dev', command: 'ping', params: { a: '1', b: '2' } }]]
  ]
  it.each(cases)('%j', (payload, expected) => {
    expect(toReferenceShape(parseMeasures(payload))).toStrictEqual(expected)
  })

  it.each(['a|10||', 'a|10|b|11##t|3', 'notAULPayload ', 'a|1#', 'email|foo@bar.com'])(
    '%j ⇒ PARSE_ERROR',
    (payload) => {
      const err = parseError(payload)
      expect(err.code).toBe('PARSE_ERROR')
      expect(err.name).toBe('UlParseError')
    }
  )

  it.each(['', 'a|', 'a|1||b|2', 'a|1##b|2', '#', '|', 'abc'])('rule examples: %j ⇒ PARSE_ERROR', (payload) => {
    expect(parseError(payload).code).toBe('PARSE_ERROR')
  })
})

describe('parseMeasures: error messages say what and where', () => {
  it('names the group and the empty field', () => {
    const err = parseError('t|1#a|10||')
    expect(err.message).toBe(
      'group 2 ("a|10||") has an empty field (field 3, where a key is expected). UltraLight keys and values cannot be empty'
    )
    expect(err.group).toBe(2)
    expect(err.field).toBe(3)
  })

  it('names the key whose value is missing', () => {
    const err = parseError('a|')
    expect(err.message).toContain('group 1 ("a|") has an empty field (field 2, the value of key "a")')
    expect(err.field).toBe(2)
  })

  it('explains the odd field count that made the first field a timestamp', () => {
    // 4 bars → 5 fields → "a" is the timestamp, then the pairs ("1","") and ("b","2").
    const err = parseError('a|1||b|2')
    expect(err.message).toBe(
      'group 1 ("a|1||b|2") has an empty field (field 3, the value of key "1"). The group has an odd number of fields, ' +
        'so its first field "a" was read as a timestamp. UltraLight keys and values cannot be empty'
    )
    expect(err.field).toBe(3)
  })

  it('says where an empty group comes from', () => {
    expect(parseError('a|1#').message).toBe("group 2 is empty (the payload ends with '#')")
    expect(parseError('#a|1').message).toBe("group 1 is empty (the payload starts with '#')")
    const middle = parseError('a|10|b|11##t|3')
    expect(middle.message).toBe("group 2 is empty (two '#' in a row)")
    expect(middle.group).toBe(2)
  })

  it('rejects a group without separator and an empty payload', () => {
    expect(parseError('notAULPayload ').message).toBe(
      `group 1 ("notAULPayload ") is not a list of key|value pairs: it has no '|' separator`
    )
    expect(parseError('').message).toContain('the payload is empty')
    expect(parseError('\r\n').message).toContain('the payload is empty')
    expect(parseError('|').message).toContain("has no key|value pair after its leading '|'")
  })

  it("explains that '@' in a value turns the group into a command line", () => {
    const err = parseError('email|foo@bar.com')
    expect(err.message).toContain('group 1 ("email|foo@bar.com") contains \'@\'')
    expect(err.message).toContain('its first field "email" has no \'@\'')
    expect(err.field).toBe(1)
  })

  it('cuts long groups and shows invisible characters in messages', () => {
    const long = 'k|' + 'x'.repeat(500) + '||'
    const err = parseError(long)
    expect(err.message.length).toBeLessThan(250)
    expect(err.message).toContain('…" (504 characters)')
    expect(parseError('a\tb|').message).toContain('"a\\tb|"')
  })

  it('rejects a payload that is not text', () => {
    expect(() => parseMeasures(42 as unknown as string)).toThrow('the payload must be text, got number')
  })
})

describe('parseMeasures: line endings', () => {
  it.each([
    ['t|25\n', 25],
    ['t|25\r\n', 25],
    ['t|25\r', 25],
    ['t|25\n\n', 25],
    ['s|on\n', 'on'],
    ['s|on\r\n', 'on']
  ])('drops the final line break of %j', (payload, expected) => {
    expect(onlyGroup(payload).values.get(payload[0]!)).toBe(expected)
  })

  it('keeps line breaks inside the payload', () => {
    const groups = parseMeasures('s|on\n#b|2')
    expect(toReferenceShape(groups)).toStrictEqual([{ s: 'on\n' }, { b: 2 }])
  })

  it('does not turn a trailing line break into an empty field, nor hide a real one', () => {
    expect(parseError('a|10|\r\n').message).toContain('has an empty field')
  })
})

describe('parseMeasures: groups and values', () => {
  it('lets the last duplicate key win, at the position of the first', () => {
    const g = onlyGroup('a|1|b|2|a|3')
    expect([...g.values]).toStrictEqual([
      ['a', 3],
      ['b', 2]
    ])
  })

  it('never trims keys or values', () => {
    const g = onlyGroup(' a |1|b| x ')
    expect([...g.values]).toStrictEqual([
      [' a ', 1],
      ['b', ' x ']
    ])
  })

  it('keeps the timestamp prefix as text, unvalidated, beside a TimeInstant key', () => {
    const g = onlyGroup('not-a-date|TimeInstant|2020|t|1')
    expect(g.timestamp).toBe('not-a-date')
    expect(g.values.get('TimeInstant')).toBe(2020)
  })

  it('has no timestamp property when the group has none', () => {
    expect('timestamp' in onlyGroup('a|1')).toBe(false)
  })

  it('rejects an empty timestamp instead of ignoring it (deviation)', () => {
    const err = parseError('||a|1|b|2')
    expect(err.message).toContain('field 1, the timestamp')
  })

  it('strips only one leading bar', () => {
    // "||a|1" → "|a|1": three fields, so "" would be the timestamp.
    expect(parseError('||a|1').field).toBe(1)
  })

  it('treats __proto__ and constructor as ordinary keys', () => {
    const g = onlyGroup('__proto__|{"x":1}|constructor|2')
    expect(g.values.get('__proto__')).toStrictEqual({ x: 1 })
    expect(g.values.get('constructor')).toBe(2)
  })

  it('parses many groups, one result per group', () => {
    const payload = Array.from({ length: 50 }, (_, i) => `t|${i}`).join('#')
    const groups = parseMeasures(payload)
    expect(groups).toHaveLength(50)
    expect(groups.map((g) => (g.kind === 'measures' ? g.values.get('t') : undefined))).toStrictEqual(
      Array.from({ length: 50 }, (_, i) => i)
    )
  })
})

describe('parseMeasures: command lines', () => {
  it('reads a single value as raw text, not cast (as the reference)', () => {
    expect(onlyCommand('dev@ping|123')).toStrictEqual({ kind: 'command', deviceId: 'dev', command: 'ping', value: '123' })
  })

  it('reads a single k=v field as a parameter, not as the value', () => {
    const c = onlyCommand('dev@ping|a=1')
    expect('value' in c).toBe(false)
    expect({ ...c.params }).toStrictEqual({ a: '1' })
  })

  it('accepts an empty single value and an empty parameter value', () => {
    expect(onlyCommand('dev@ping|').value).toBe('')
    expect({ ...onlyCommand('dev@ping|a=|b=2').params }).toStrictEqual({ a: '', b: '2' })
  })

  it('gives empty params when there is nothing after the head', () => {
    const c = onlyCommand('dev@ping')
    expect('value' in c).toBe(false)
    expect({ ...c.params }).toStrictEqual({})
  })

  it('lets the last duplicate parameter win', () => {
    expect({ ...onlyCommand('dev@ping|a=1|a=2').params }).toStrictEqual({ a: '2' })
  })

  it('ignores one leading bar and may appear in any group', () => {
    expect(onlyCommand('|dev@ping|ok').value).toBe('ok')
    expect(toReferenceShape(parseMeasures('t|1#dev@ping|ok'))).toStrictEqual([
      { t: 1 },
      { deviceId: 'dev', command: 'ping', value: 'ok' }
    ])
  })

  it("reads a group starting with '@' as measures (the reference only checks position > 0)", () => {
    expect([...onlyGroup('@a|b@c').values]).toStrictEqual([['@a', 'b@c']])
  })

  it.each([
    ['dev@ping|a=1|b', "field 3 (\"b\") has no '='"],
    ['dev@ping|a=b=c|d=1', "field 2 (\"a=b=c\") has more than one '='"],
    ['dev@ping|x|y', "field 2 (\"x\") has no '='"],
    ['dev@ping|=1', 'a command parameter without a name in field 2'],
    ['dev@|x', "has no command name after '@'"],
    ['a@b@c|x', "has more than one '@'"]
  ])('rejects %j', (payload, message) => {
    const err = parseError(payload)
    expect(err.message).toContain(message)
    expect(err.group).toBe(1)
  })
})
