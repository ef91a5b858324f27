import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isRemembered, MAX_REMEMBERED, MAX_VALUE_LENGTH, recall, remember, type Remembered } from '../../../renderer/src/services/remembered-values'
import { loadJson, saveJson } from '../../../renderer/src/services/storage'

describe('remembered values', () => {
  it('keep the last value per key', () => {
    let list: Remembered = []
    list = remember(list, 'openiot|/|urn:ngsi-ld:Device:001|switch', '1')
    list = remember(list, 'openiot|/|urn:ngsi-ld:Device:001|interval', '5')
    list = remember(list, 'openiot|/|urn:ngsi-ld:Device:001|switch', '0')
    expect(recall(list, 'openiot|/|urn:ngsi-ld:Device:001|switch')).toBe('0')
    expect(recall(list, 'openiot|/|urn:ngsi-ld:Device:001|interval')).toBe('5')
    expect(recall(list, 'openiot|/|urn:ngsi-ld:Device:002|switch')).toBeUndefined()
    expect(list).toHaveLength(2)
  })

  it('stay bounded: the least recently used go first', () => {
    let list: Remembered = []
    for (let i = 0; i < MAX_REMEMBERED + 50; i++) {
      list = remember(list, `k${i}`, String(i))
      // k0 is used again and again: it stays.
      if (i % 10 === 0) list = remember(list, 'k0', 'kept')
    }
    expect(list).toHaveLength(MAX_REMEMBERED)
    expect(recall(list, 'k0')).toBe('kept')
    expect(recall(list, 'k1')).toBeUndefined()
    expect(recall(list, `k${MAX_REMEMBERED + 49}`)).toBe(String(MAX_REMEMBERED + 49))
  })

  it('do not keep a value too long to be one', () => {
    const list = remember([], 'k', 'x'.repeat(MAX_VALUE_LENGTH + 1))
    expect(list).toEqual([])
  })

  it('accept only pairs of strings when read back', () => {
    expect(isRemembered([['a', 'b']])).toBe(true)
    expect(isRemembered([['a', 1]])).toBe(false)
    expect(isRemembered([['a']])).toBe(false)
    expect(isRemembered({ a: 'b' })).toBe(false)
  })
})

describe('remembered values in the browser storage', () => {
  // Node has no localStorage: a Map behind the Storage methods the GUI uses stands for the browser's.
  const items = new Map<string, string>()
  beforeEach(() => {
    items.clear()
    Object.assign(globalThis, {
      localStorage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) }
    })
  })
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage
  })

  it('survive a reload, and a damaged entry reads as nothing remembered', () => {
    saveJson('commandValues', remember([], 'openiot|/|urn:ngsi-ld:Device:001|interval', '7'))
    const back = loadJson('commandValues', [], isRemembered)
    expect(recall(back, 'openiot|/|urn:ngsi-ld:Device:001|interval')).toBe('7')
    items.set('ulcc.commandValues', '[["k", 3]]')
    expect(loadJson('commandValues', [], isRemembered)).toEqual([])
    items.set('ulcc.commandValues', '{not json')
    expect(loadJson('commandValues', [], isRemembered)).toEqual([])
  })
})
