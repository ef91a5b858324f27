import { describe, expect, it } from 'vitest'
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from '../../../electron/engine/heap-growth'

describe('boundHeapGrowth', () => {
  it('applies 25 % unless ULCC_HEAP_GROWING_PERCENT gives a whole number; 0 leaves V8 as it is', () => {
    expect(HEAP_GROWING_PERCENT).toBe(25)
    expect(boundHeapGrowth({})).toBe(25)
    expect(boundHeapGrowth({ ULCC_HEAP_GROWING_PERCENT: ' 50 ' })).toBe(50)
    expect(boundHeapGrowth({ ULCC_HEAP_GROWING_PERCENT: '0' })).toBe(0)
    for (const bad of ['', '-5', '1e3', 'lots', '12345']) expect(boundHeapGrowth({ ULCC_HEAP_GROWING_PERCENT: bad })).toBe(25)
  })
})
