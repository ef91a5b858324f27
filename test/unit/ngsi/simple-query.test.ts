import { describe, expect, it } from 'vitest'
import { newEntity, type StoredEntity } from '../../../electron/engine/context/embedded/model'
import { matchesAll } from '../../../electron/engine/context/embedded/query/query-match'
import { parseSimpleQuery, type QueryLanguage } from '../../../electron/engine/context/embedded/query/simple-query'
import { NgsiError } from '../../../electron/engine/context/types'

function errorOf(text: string, language: QueryLanguage = 'q'): string {
  try {
    parseSimpleQuery(text, language)
  } catch (err) {
    expect(err).toBeInstanceOf(NgsiError)
    expect((err as NgsiError).status).toBe(400)
    expect((err as NgsiError).error).toBe('BadRequest')
    return (err as NgsiError).description
  }
  throw new Error(`"${text}" was accepted`)
}

function entity(attrs: Record<string, { type: string; value: unknown; md?: Record<string, { type: string; value: unknown }> }>): StoredEntity {
  const e = newEntity('', '/', 'E1', 'T', 0, Date.UTC(2024, 0, 1))
  for (const [name, a] of Object.entries(attrs)) {
    e.attrs.set(name, {
      type: a.type,
      value: a.value,
      metadata: a.md ? new Map(Object.entries(a.md)) : null,
      creDate: Date.UTC(2024, 0, 1),
      modDate: Date.UTC(2024, 0, 2)
    })
  }
  return e
}

const match = (q: string, e: StoredEntity, language: QueryLanguage = 'q'): boolean => matchesAll(parseSimpleQuery(q, language), e, language === 'mq')

describe('q parser: statements and operators', () => {
  it('splits on ; and tolerates one trailing ;', () => {
    expect(parseSimpleQuery('price<50;', 'q')).toHaveLength(1)
    expect(parseSimpleQuery('a==1;b==2', 'q')).toHaveLength(2)
    expect(parseSimpleQuery(';a', 'q')).toHaveLength(1)
  })

  it('takes the first operator outside quotes: the later ":" belong to the value', () => {
    const [s] = parseSimpleQuery('refStore==urn:ngsi-ld:Store:001', 'q')
    expect(s).toMatchObject({ op: 'eq', attr: 'refStore', value: { kind: 'string', value: 'urn:ngsi-ld:Store:001' } })
    expect(parseSimpleQuery('a:1', 'q')[0]).toMatchObject({ op: 'eq', value: { kind: 'number', value: 1 } })
  })

  it('knows every operator', () => {
    const ops = ['a==1', 'a!=1', 'a>1', 'a<1', 'a>=1', 'a<=1', 'a~=x', 'a', '!a'].map((q) => parseSimpleQuery(q, 'q')[0]!.op)
    expect(ops).toEqual(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'match', 'exists', 'notExists'])
  })

  it('types the right-hand side: forced string, number, date, boolean, null, string', () => {
    const kinds = ["a=='123'", 'a==123', 'a==2024-01-01T10:00:00Z', 'a==true', 'a==null', 'a==abc'].map((q) => parseSimpleQuery(q, 'q')[0]!.value.kind)
    expect(kinds).toEqual(['string', 'number', 'date', 'bool', 'null', 'string'])
    expect(parseSimpleQuery('a==0x1F', 'q')[0]!.value).toEqual({ kind: 'number', value: 31 })
  })

  it('reads ranges and lists (quoted commas stay inside strings)', () => {
    expect(parseSimpleQuery('a==1..5', 'q')[0]!.value).toEqual({ kind: 'range', of: 'number', from: 1, to: 5 })
    expect(parseSimpleQuery('a==x,y', 'q')[0]!.value).toEqual({ kind: 'list', of: 'string', values: ['x', 'y'], hasNull: false })
    expect(parseSimpleQuery("a=='x,y',z", 'q')[0]!.value).toEqual({ kind: 'list', of: 'string', values: ['x,y', 'z'], hasNull: false })
    expect(parseSimpleQuery('a==x,null', 'q')[0]!.value).toMatchObject({ hasNull: true, values: ['x'] })
  })

  it('reads dotted paths, with quoted tokens containing dots', () => {
    expect(parseSimpleQuery("address.addressLocality=='x'", 'q')[0]).toMatchObject({ attr: 'address', path: ['addressLocality'] })
    expect(parseSimpleQuery("'a.b'.c==1", 'q')[0]).toMatchObject({ attr: 'a.b', path: ['c'] })
    expect(parseSimpleQuery('address.verified==true', 'mq')[0]).toMatchObject({ attr: 'address', metadata: 'verified', path: [] })
    expect(parseSimpleQuery('a.m.x.y==1', 'mq')[0]).toMatchObject({ attr: 'a', metadata: 'm', path: ['x', 'y'] })
  })
})

describe('q parser: every error of the spec, verbatim', () => {
  it.each([
    [';', 'empty q'],
    ['a==1;;b==2', 'empty q-item'],
    ['a==1; ;', 'empty q-item'],
    ['a==1; ;b==1', 'empty q-item (only whitespace)'],
    ['==1', 'empty left-hand-side in q-item'],
    ['a==', 'empty right-hand-side in q-item'],
    ['!', 'empty right-hand-side in q-item'],
    ["a=='abc", 'non-terminated forced string'],
    ["a=='ab'c'", 'quote in forced string'],
    ['a==x(y)', 'forbidden characters in String Filter'],
    ["a=='x<y'", 'forbidden characters in String Filter'],
    ['a~=x<', 'forbidden characters in String Filter'],
    ["a'b", 'forbidden characters in String Filter'],
    ['a>1..5', 'ranges only valid for equal and not equal ops'],
    ['a<x,y', 'lists only valid for equal and not equal ops'],
    ['a==1..', 'empty item in range'],
    ['a==1..x', 'invalid range: types mixed'],
    ['a==true..false', 'invalid data type for /range-from/'],
    ['a==1,', 'empty item in list'],
    ['a==1,x', 'invalid JSON value type in list'],
    ['a==true,false', 'invalid JSON value type in list'],
    ['a>true', 'values of type /Bool/ not supported for operator /GreaterThan/'],
    ['a<=null', 'values of type /Null/ not supported for operator /LessThanOrEqual/'],
    ['a=b', 'invalid character found in URI param /q/'],
    ['a~=[x', "error compiling filter regex: '[x'"],
    // Parentheses are forbidden in q, so a group (and a backreference to it) is refused before compiling.
    ['a~=(a)\\1', 'forbidden characters in String Filter'],
    ['a~=x{1001}', "error compiling filter regex: 'x{1001}': the linear-time regex engine cannot run it: repeat counts above 1000 are not supported `{1001}`"],
    ['a~=.{600}', "error compiling filter regex: '.{600}': too complex for the linear-time regex engine: 602 instructions, at most 500"]
  ])('q=%s → %s', (q, description) => {
    expect(errorOf(q)).toBe(description)
  })

  it('mq needs an attribute and a metadata name', () => {
    expect(errorOf('a', 'mq')).toBe('no metadata in right-hand-side of q-item')
    expect(errorOf('a==1', 'mq')).toBe('no metadata name - not valid for metadata filters')
    expect(errorOf('a.m=b', 'mq')).toBe('invalid character found in URI param /mq/')
  })
})

describe('q evaluation', () => {
  const e = entity({
    name: { type: 'Text', value: 'Corner Unit' },
    price: { type: 'Integer', value: 99 },
    code: { type: 'Text', value: '123' },
    tags: { type: 'StructuredValue', value: ['a', 'b'] },
    address: { type: 'PostalAddress', value: { addressLocality: 'São Bernardo do Campo' }, md: { verified: { type: 'Boolean', value: true } } },
    when: { type: 'DateTime', value: '2024-03-01T10:00:00.000Z' },
    nothing: { type: 'None', value: null }
  })

  it('compares typed values', () => {
    expect(match('price==99', e)).toBe(true)
    expect(match("price=='99'", e)).toBe(false)
    expect(match('code==123', e)).toBe(false)
    expect(match("code=='123'", e)).toBe(true)
    expect(match('price>50;price<100', e)).toBe(true)
    expect(match('price>=99;price<=99', e)).toBe(true)
    expect(match('price==1..100', e)).toBe(true)
    expect(match('price!=1..10', e)).toBe(true)
    expect(match('price==1,2,99', e)).toBe(true)
    expect(match('price!=1,2,99', e)).toBe(false)
    expect(match('name>Co', e)).toBe(true)
    expect(match('name~=^Corner', e)).toBe(true)
    expect(match('name~=Unit', e)).toBe(true)
  })

  it('matches any element of an array and paths into compound values', () => {
    expect(match('tags==b', e)).toBe(true)
    expect(match('tags!=b', e)).toBe(false)
    expect(match("address.addressLocality=='São Bernardo do Campo'", e)).toBe(true)
    expect(match('address.addressLocality', e)).toBe(true)
    expect(match('!address.postalCode', e)).toBe(true)
  })

  it('never matches a binary statement on a missing attribute, even !=', () => {
    expect(match('missing!=1', e)).toBe(false)
    expect(match('!missing', e)).toBe(true)
    expect(match('missing', e)).toBe(false)
    expect(match('nothing==null', e)).toBe(true)
    expect(match('nothing!=null', e)).toBe(false)
  })

  it('compares DateTime attributes and builtins as dates', () => {
    expect(match('when>2024-01-01', e)).toBe(true)
    expect(match('when<2024-03-01T09:00:00Z', e)).toBe(false)
    expect(match('when==2024-03-01T11:00:00+01:00', e)).toBe(true)
    expect(match('dateCreated==2024-01-01T00:00:00Z', e)).toBe(true)
    expect(match('servicePath==/', e)).toBe(true)
    expect(match('servicePath==/a', e)).toBe(false)
  })

  it('evaluates mq on metadata, including the builtin dates', () => {
    expect(match('address.verified==true', e, 'mq')).toBe(true)
    expect(match('address.verified==false', e, 'mq')).toBe(false)
    expect(match('address.verified', e, 'mq')).toBe(true)
    expect(match('!name.verified', e, 'mq')).toBe(true)
    expect(match('address.dateModified>2024-01-01T12:00:00Z', e, 'mq')).toBe(true)
  })
})
