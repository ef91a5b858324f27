import { describe, expect, it } from 'vitest'
import {
  checkProvisionedExpressions,
  commandTextWithExpression,
  CompileCache,
  compileExpression,
  compileJexl,
  contextOfItems,
  evaluateValue
} from '../../../electron/engine/expressions'
import { IotaError } from '../../../electron/engine/registry/types'

function refusal(fn: () => void): IotaError {
  try {
    fn()
  } catch (err) {
    if (err instanceof IotaError) return err
    throw err
  }
  throw new Error('accepted')
}

describe('compiling expressions', () => {
  it('compiles once and evaluates many times', () => {
    const c = compileJexl('t*10')
    expect(c.ok).toBe(true)
    if (!c.ok) return
    expect(c.evaluate({ t: 2 })).toBe(20)
    expect(c.evaluate({ t: 3 })).toBe(30)
  })

  it.each([
    ['t*', /Unexpected end of expression/],
    ['a ? b', /Unexpected end of expression/],
    ["'abc", /unexpected/],
    ['a b', /unexpected/],
    ['(', /Unexpected end of expression/],
    ['   ', /empty/],
    ['t|nosuchtransform', /unknown transform nosuchtransform/],
    ['x + f(1)', /unknown function f\(\)/],
    ['[a|trim, {k: b|bogus}]', /unknown transform bogus/]
  ])('refuses %j', (source, why) => {
    const c = compileJexl(source)
    expect(c.ok).toBe(false)
    if (!c.ok) expect(c.error).toMatch(why)
  })

  it('accepts what the library evaluates, even when it names no measure', () => {
    for (const s of ['Room1', 'id + ":" + type', 'a[.b == 1]', 'x.y[0]|trim', '"a"']) expect(compileJexl(s).ok, s).toBe(true)
  })

  it('keeps a bounded number of compiled expressions, least recently used out first', () => {
    const cache = new CompileCache(3)
    const a = cache.compile('a')
    cache.compile('b')
    cache.compile('c')
    expect(cache.compile('a')).toBe(a)
    cache.compile('d')
    expect(cache.size).toBe(3)
    expect(cache.compile('a')).toBe(a)
    // 'b' was the least recently used: compiled again, as a new object.
    const b2 = cache.compile('b')
    expect(cache.size).toBe(3)
    expect(b2.source).toBe('b')
  })

  it('shares the compiled expression of the same text', () => {
    expect(compileExpression('t*10 + 1')).toBe(compileExpression('t*10 + 1'))
  })
})

describe('evaluating an attribute expression', () => {
  it('gives null for null, undefined, NaN and errors', () => {
    expect(evaluateValue(compileExpression('t*10'), { t: 2 })).toBe(20)
    expect(evaluateValue(compileExpression('t*10'), {})).toBeNull()
    expect(evaluateValue(compileExpression('missing'), {})).toBeNull()
    expect(evaluateValue(compileExpression('x|split(",")'), { x: 5 })).toBeNull()
    expect(evaluateValue(compileExpression('t*'), { t: 1 })).toBeNull()
  })
})

describe('provisioning checks', () => {
  it('answers INVALID_EXPRESSION (400) naming the field', () => {
    const e = refusal(() => checkProvisionedExpressions({ attributes: [{ expression: 't*10' }, { expression: 't*' }] }))
    expect(e.status).toBe(400)
    expect(e.toJSON()).toEqual({
      name: 'INVALID_EXPRESSION',
      message: 'Invalid expression in evaluation [t*] at attributes[1].expression: Unexpected end of expression: t*'
    })
  })

  it('checks entityNameExp, explicitAttrs, command and metadata expressions', () => {
    expect(refusal(() => checkProvisionedExpressions({ entityNameExp: 'id +' })).message).toMatch(/at entityNameExp/)
    expect(refusal(() => checkProvisionedExpressions({ explicitAttrs: "['a'" })).message).toMatch(/at explicitAttrs/)
    expect(refusal(() => checkProvisionedExpressions({ commands: [{ expression: 'id|nope' }] })).message).toMatch(/at commands\[0\]\.expression: unknown transform nope/)
    expect(
      refusal(() => checkProvisionedExpressions({ static_attributes: [{ metadata: { unit: { type: 'Text', value: 'x', expression: '*' } } }] })).message
    ).toMatch(/at static_attributes\[0\]\.metadata\.unit\.expression/)
  })

  it('refuses a literal pattern of replaceregexp that the linear-time engine cannot run; an invalid one stays a runtime null', () => {
    const e = refusal(() => checkProvisionedExpressions({ attributes: [{ expression: 'v|replaceallregexp("(a)\\\\1","b")' }] }))
    expect(e.toJSON()).toEqual({
      name: 'INVALID_EXPRESSION',
      message:
        'Invalid expression in evaluation [v|replaceallregexp("(a)\\\\1","b")] at attributes[0].expression: ' +
        'pattern "(a)\\\\1" of replaceallregexp: the linear-time regex engine cannot run it: backreferences are not supported: \\1'
    })
    expect(refusal(() => checkProvisionedExpressions({ attributes: [{ expression: 'v|replaceregexp("x(?=y)","b")' }] })).message).toMatch(/lookahead is not supported/)
    expect(() => checkProvisionedExpressions({ attributes: [{ expression: 'v|replaceregexp("(","b")' }, { expression: 'v|replaceregexp(p,"b")' }] })).not.toThrow()
  })

  it('lets absent and empty expressions, booleans and odd PUT bodies through', () => {
    expect(() =>
      checkProvisionedExpressions({ attributes: [{}, { expression: '' }, null], commands: 'x', explicitAttrs: true, entityNameExp: '', static_attributes: [{ metadata: 3 }] })
    ).not.toThrow()
  })
})

describe('the library context of names and values (commands, entity names)', () => {
  it('reads numeric-looking text as numbers, drops nulls (text "true" stays text)', () => {
    expect(
      contextOfItems([
        { name: 'id', value: '001' },
        { name: 'f', value: '2.5' },
        { name: 'b', value: 'true' },
        { name: 's', value: 'MQTT_2' },
        { name: 'n', value: null },
        { value: 'no name' }
      ])
    ).toEqual({ id: 1, f: 2.5, b: 'true', s: 'MQTT_2' })
  })
})

describe('command expressions', () => {
  const dev = {
    deviceId: 'MQTT_2',
    entityId: 'urn:MQTT_2',
    entityType: 'AnMQTTDevice',
    scope: { service: 'smartgondor', servicePath: '/gardens' },
    statics: [{ name: 'floor', value: '3' }]
  }

  it('replaces the value by the result over id, type, service, subservice, entity_name and statics', () => {
    expect(commandTextWithExpression(dev, { name: 'PING', expression: 'id+type' }, 22)).toBe('MQTT_2@PING|MQTT_2AnMQTTDevice')
    expect(commandTextWithExpression(dev, { name: 'PING', expression: 'service + subservice + entity_name + (floor + 1)' }, 'x')).toBe(
      'MQTT_2@PING|smartgondor/gardensurn:MQTT_24'
    )
  })

  it('sends the expression text when the result is falsy or an error', () => {
    expect(commandTextWithExpression(dev, { name: 'PING', expression: 'unknownVar' }, 1)).toBe('MQTT_2@PING|unknownVar')
    expect(commandTextWithExpression(dev, { name: 'PING', expression: 'x|split(",")' }, 1)).toBe('MQTT_2@PING|x|split(",")')
  })

  it('replaces only the first parameter of an object value', () => {
    expect(commandTextWithExpression(dev, { name: 'SET', expression: 'id' }, { a: 1, b: 2 })).toBe('MQTT_2@SET|MQTT_2|b=2')
    expect(commandTextWithExpression(dev, { name: 'SET', expression: 'id' }, {})).toBe('MQTT_2@SET')
  })

  it('leaves commands without expression to the plain format', () => {
    expect(commandTextWithExpression(dev, { name: 'PING' }, 1)).toBeUndefined()
    expect(commandTextWithExpression(dev, { name: 'PING', expression: '' }, 1)).toBeUndefined()
  })
})
