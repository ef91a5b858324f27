/**
 * Values the GUI remembers between sessions (the last value sent with each command), as a list of
 * [key, value] pairs, oldest first, bounded: the least recently used pairs go first. Only what the
 * user typed to send to a device is kept; never a secret.
 */

/** Pairs kept at most. */
export const MAX_REMEMBERED = 200
/** Longer values are not remembered (a pasted document is not a setting). */
export const MAX_VALUE_LENGTH = 1000

export type Remembered = ReadonlyArray<readonly [string, string]>

export function isRemembered(v: unknown): v is Remembered {
  return Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string')
}

/** The list with `key` set to `value`, as its newest pair, and at most `max` pairs. */
export function remember(list: Remembered, key: string, value: string, max = MAX_REMEMBERED): Remembered {
  if (value.length > MAX_VALUE_LENGTH) return list
  const out = list.filter(([k]) => k !== key)
  out.push([key, value])
  return out.length > max ? out.slice(out.length - max) : out
}

/** The value remembered for `key`, if any. */
export function recall(list: Remembered, key: string): string | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]![0] === key) return list[i]![1]
  return undefined
}
