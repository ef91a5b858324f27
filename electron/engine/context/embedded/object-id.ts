import { randomBytes } from 'node:crypto'

/**
 * MongoDB-style ObjectIds (24 lower-case hex characters: 4-byte seconds timestamp, 5 random
 * bytes per process, 3-byte counter), the form of Orion's registration and subscription ids.
 * Lexical order follows creation order, which is how Orion lists them.
 */
const processRandom = randomBytes(5).toString('hex')
let counter = randomBytes(3).readUIntBE(0, 3)

export function newObjectId(now = Date.now()): string {
  counter = (counter + 1) & 0xffffff
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0').slice(-8)
  return seconds + processRandom + counter.toString(16).padStart(6, '0')
}
