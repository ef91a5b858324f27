import { pbkdf2, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../../persist/atomic-file'
import { parseAclFile } from './acl-file'

/**
 * Changes to Mosquitto's password and ACL files, written in the formats mosquitto_passwd and
 * Mosquitto read (docs/compatibility/mqtt-broker.md §1, §4). Every other line of a file (comments,
 * other users, blank lines) stays as it was; each write is atomic, and the authorizer's watch
 * (file-watch.ts) reads the new content.
 */

/** mosquitto_passwd's defaults for a `$7$` hash: PBKDF2-HMAC-SHA512, 101 iterations, a 12-byte random salt. */
export const PBKDF2_ITERATIONS = 101
const SALT_BYTES = 12
const HASH_BYTES = 64

/** MQTT's limit for the user name and the password fields (a two-byte length). */
const MQTT_FIELD_MAX = 65535

/** Why a user name cannot be written to a password file, or undefined when it can. */
export function usernameProblem(username: string): string | undefined {
  if (username.length === 0) return 'the user name is empty'
  if (Buffer.byteLength(username, 'utf8') > MQTT_FIELD_MAX) return 'the user name is longer than MQTT allows (65535 bytes)'
  // mosquitto_passwd refuses ':'; the file is read line by line, and blanks around the name are trimmed.
  if (username.includes(':')) return 'the user name must not contain ":"'
  if (/\p{Cc}/u.test(username)) return 'the user name must not contain line breaks or control characters'
  if (username !== username.trim()) return 'the user name must not start or end with a space'
  if (username.startsWith('#')) return 'the user name must not start with "#" (the line would be a comment)'
  return undefined
}

/** Why a password cannot be used, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length === 0) return 'the password is empty'
  if (Buffer.byteLength(password, 'utf8') > MQTT_FIELD_MAX) return 'the password is longer than MQTT allows (65535 bytes)'
  return undefined
}

/** A `$7$` hash as mosquitto_passwd writes it: `$7$101$<base64 salt>$<base64 hash>`. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const hash = await new Promise<Buffer>((resolve, reject) =>
    pbkdf2(Buffer.from(password, 'utf8'), salt, iterations, HASH_BYTES, 'sha512', (err, key) => (err ? reject(err) : resolve(key)))
  )
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** The user name of a password file line, as the parser reads it (undefined for comments and lines without ':'). */
function lineUser(line: string): string | undefined {
  const l = line.replace(/\r$/, '')
  if (l.startsWith('#') || !l.includes(':')) return undefined
  return l.slice(0, l.indexOf(':')).trim() || undefined
}

/** The user names of a password file, in file order, once each (never their hashes). */
export function passwordFileUsers(text: string): string[] {
  const seen = new Set<string>()
  for (const line of text.split('\n')) {
    const user = lineUser(line)
    if (user !== undefined) seen.add(user)
  }
  return [...seen]
}

function joinLines(lines: string[]): string {
  const text = lines.join('\n')
  return text === '' || text.endsWith('\n') ? text : `${text}\n`
}

/**
 * The password file with `username`'s hash set: every line of that user gets the new hash (as
 * mosquitto_passwd -b does), or a line is added at the end. `created` says which.
 */
export function withUser(text: string, username: string, hash: string): { text: string; created: boolean } {
  let created = true
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  const out = lines.map((line) => {
    if (lineUser(line) !== username) return line
    created = false
    return `${username}:${hash}${line.endsWith('\r') ? '\r' : ''}`
  })
  if (created) out.push(`${username}:${hash}`)
  return { text: joinLines(out), created }
}

/** The password file without `username`'s lines; `removed` is how many there were. */
export function withoutUser(text: string, username: string): { text: string; removed: number } {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  const kept = lines.filter((line) => lineUser(line) !== username)
  return { text: joinLines(kept), removed: lines.length - kept.length }
}

/** A request the files cannot take (bad input, unknown user, an ACL with errors). */
export class AuthFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'invalid' | 'notFound',
    /** For an ACL: the problems, each naming its line. */
    readonly problems: string[] = []
  ) {
    super(message)
    this.name = 'AuthFileError'
  }
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw err
  }
}

/** Creates or changes a user of the password file at `path` (created when missing). */
export async function setPasswordFileUser(path: string, username: string, password: string): Promise<{ created: boolean }> {
  const problem = usernameProblem(username) ?? passwordProblem(password)
  if (problem) throw new AuthFileError(problem, 'invalid')
  const hash = await hashPassword(password)
  const r = withUser(await readOrEmpty(path), username, hash)
  await writeFileAtomic(path, r.text)
  return { created: r.created }
}

/** Removes a user from the password file at `path`. */
export async function deletePasswordFileUser(path: string, username: string): Promise<void> {
  const r = withoutUser(await readOrEmpty(path), username)
  if (r.removed === 0) throw new AuthFileError(`no user "${username}" in the password file`, 'notFound')
  await writeFileAtomic(path, r.text)
}

/** Writes an ACL file after checking it as Mosquitto reads it; a file with errors is refused, naming its lines. */
export async function writeAclFile(path: string, text: string): Promise<{ lines: number; remarks: string[] }> {
  const parsed = parseAclFile(text)
  if (parsed.problems.length > 0) throw new AuthFileError(`the ACL has errors: ${parsed.problems.join('; ')}`, 'invalid', parsed.problems)
  await writeFileAtomic(path, text === '' || text.endsWith('\n') ? text : `${text}\n`)
  return { lines: parsed.rules.lines, remarks: parsed.remarks }
}
