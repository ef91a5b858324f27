import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto'

/**
 * Mosquitto's password file, as `mosquitto_passwd` writes it (docs/compatibility/mqtt-broker.md §1):
 *
 *   user:$7$<iterations>$<base64 salt>$<base64 hash>   PBKDF2-HMAC-SHA512 (the default since 2.0)
 *   user:$6$<base64 salt>$<base64 hash>                SHA-512 of password ‖ salt (1.6 and earlier)
 *
 * The salt is 12 bytes and the hash 64. A line starting with `#` is a comment, a line without `:`
 * is skipped, blanks around the user name and the hash are trimmed. As Mosquitto, a line whose
 * hash cannot be used is left out (and reported); the other users still work.
 */

const SALT_BYTES = 12
const HASH_BYTES = 64
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

export type PasswordHash =
  | { kind: 'sha512'; salt: Buffer; hash: Buffer }
  | { kind: 'sha512-pbkdf2'; iterations: number; salt: Buffer; hash: Buffer }

export interface PasswordFileContent {
  users: Map<string, PasswordHash>
  /** Lines left out, with their line number and why (never the hash). */
  problems: string[]
}

function base64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined
}

/** The hash of one line (the text after `user:`), or why it cannot be used. */
export function parsePasswordHash(text: string): PasswordHash | string {
  const parts = text.split('$')
  // "$7$..." splits into ['', '7', ...]
  if (parts[0] !== '' || parts.length < 4) return 'not a mosquitto_passwd hash ($6$ or $7$)'
  const type = parts[1]
  let iterations = 0
  let rest: string[]
  if (type === '7') {
    if (!/^\d+$/.test(parts[2] ?? '') || Number(parts[2]) < 1) return 'invalid hash iterations'
    iterations = Number(parts[2])
    rest = parts.slice(3)
  } else if (type === '6') {
    rest = parts.slice(2)
  } else {
    return `unknown hash type $${type ?? ''}$ (only $6$ and $7$ are supported)`
  }
  if (rest.length !== 2) return 'not a mosquitto_passwd hash ($6$ or $7$)'
  const salt = base64(rest[0]!)
  if (!salt || salt.length !== SALT_BYTES) return 'the salt cannot be decoded'
  const hash = base64(rest[1]!)
  if (!hash || hash.length !== HASH_BYTES) return 'the password hash cannot be decoded'
  return type === '7' ? { kind: 'sha512-pbkdf2', iterations, salt, hash } : { kind: 'sha512', salt, hash }
}

export function parsePasswordFile(text: string): PasswordFileContent {
  const users = new Map<string, PasswordHash>()
  const problems: string[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.startsWith('#') || !line.includes(':')) continue
    const colon = line.indexOf(':')
    const user = line.slice(0, colon).trim()
    // strtok(":") takes the text up to the next colon as the hash.
    const hashText = (line.slice(colon + 1).split(':').find((t) => t !== '') ?? '').trim()
    if (!user) continue
    if (!hashText) {
      problems.push(`line ${i + 1}: no password hash for user "${user}"`)
      continue
    }
    const parsed = parsePasswordHash(hashText)
    if (typeof parsed === 'string') {
      problems.push(`line ${i + 1}: user "${user}": ${parsed}; user left out`)
      continue
    }
    users.set(user, parsed)
  }
  return { users, problems }
}

function digest(password: Buffer, entry: PasswordHash): Promise<Buffer> {
  if (entry.kind === 'sha512') return Promise.resolve(createHash('sha512').update(password).update(entry.salt).digest())
  return new Promise((resolve, reject) =>
    pbkdf2(password, entry.salt, entry.iterations, HASH_BYTES, 'sha512', (err, key) => (err ? reject(err) : resolve(key)))
  )
}

/** Whether `password` matches the hash (compared in constant time). */
export async function verifyPassword(entry: PasswordHash, password: Buffer): Promise<boolean> {
  const computed = await digest(password, entry)
  return computed.length === entry.hash.length && timingSafeEqual(computed, entry.hash)
}
