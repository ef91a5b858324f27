import { compileJexl } from './jexl'
import type { Compiled } from './types'

/** Distinct expression texts kept compiled; beyond it the least recently used is dropped. */
export const COMPILE_CACHE_SIZE = 2000

/**
 * Expressions compiled once per distinct text: the devices of a group share their group's
 * compiled expressions, and a device recompiled after a provisioning change does not parse again.
 * Bounded (LRU), failures included, so that no input can grow it without limit.
 */
export class CompileCache {
  private readonly entries = new Map<string, Compiled>()

  constructor(private readonly capacity = COMPILE_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size
  }

  compile(source: string): Compiled {
    const hit = this.entries.get(source)
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(source)
      this.entries.set(source, hit)
      return hit
    }
    const compiled = compileJexl(source)
    this.entries.set(source, compiled)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
    return compiled
  }
}

/** The process-wide cache: compiled expressions hold no state, so every engine may share them. */
export const compileCache = new CompileCache()

/** Compiles (or finds compiled) `source`. */
export function compileExpression(source: string): Compiled {
  return compileCache.compile(source)
}
