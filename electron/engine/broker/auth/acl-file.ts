import { matchesFilter, topicFilterProblem } from '../topic-filter'

/**
 * Mosquitto's ACL file, read and applied as Mosquitto 2 does (docs/compatibility/mqtt-broker.md §4):
 *
 *   # comment (only in the first column)
 *   topic [read|write|readwrite|deny] <topic>    before any `user` line: clients without a user name
 *   user <name>                                 the `topic` lines after it are that user's
 *   pattern [read|write|readwrite|deny] <topic> every client, with %c = client id, %u = user name
 *
 * Without an access word the line grants readwrite. `read` is what a client may receive, `write`
 * what it may publish; `deny` lines are checked before the others of their list. A client is
 * checked against its own list first (its user's, or the anonymous one), then against the
 * patterns; nothing that matches means denied.
 */

export const READ = 1
export const WRITE = 2
const DENY = 0

export type AclAccess = typeof READ | typeof WRITE

interface AclEntry {
  topic: string
  /** READ, WRITE, both, or DENY */
  access: number
}

interface PatternEntry extends AclEntry {
  hasClientId: boolean
  hasUser: boolean
}

export interface AclRules {
  /** Lists per user name; `null` is the list of clients without a user name. */
  users: Map<string | null, AclEntry[]>
  patterns: PatternEntry[]
  /** `topic` and `pattern` lines read. */
  lines: number
}

export interface AclFileContent {
  rules: AclRules
  /** Lines that are not valid (Mosquitto refuses such a file). */
  problems: string[]
  /** Remarks that do not make the file invalid (a pattern without %c or %u). */
  remarks: string[]
}

function accessOf(word: string): number | undefined {
  switch (word) {
    case 'read':
      return READ
    case 'write':
      return WRITE
    case 'readwrite':
      return READ | WRITE
    case 'deny':
      return DENY
    default:
      return undefined
  }
}

/** Adds an entry to a list; a `deny` entry goes first, as Mosquitto orders them. */
function add<T extends AclEntry>(list: T[], entry: T): void {
  if (entry.access === DENY) list.unshift(entry)
  else list.push(entry)
}

export function parseAclFile(text: string): AclFileContent {
  const rules: AclRules = { users: new Map(), patterns: [], lines: 0 }
  const problems: string[] = []
  const remarks: string[] = []
  let user: string | null = null
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\s+$/, '')
    const where = `line ${i + 1}`
    if (line.startsWith('#')) continue
    // Words are separated by spaces (strtok with " "); the topic is the rest of the line.
    const m = /^ *(\S+)(?: +(\S+))?(?: +(.*))?$/.exec(line)
    if (!m) {
      if (line.trim() !== '') problems.push(`${where}: not understood: ${line}`)
      continue
    }
    const keyword = m[1]!
    if (keyword === 'topic' || keyword === 'pattern') {
      let topic: string
      let access: number
      if (m[2] === undefined) {
        problems.push(`${where}: ${keyword} without a topic`)
        continue
      }
      if (m[3] === undefined) {
        topic = m[2]
        access = READ | WRITE
      } else {
        const a = accessOf(m[2])
        if (a === undefined) {
          problems.push(`${where}: invalid access "${m[2]}" (read, write, readwrite or deny)`)
          continue
        }
        access = a
        topic = m[3].trim()
      }
      const problem = topicFilterProblem(topic)
      if (problem) {
        problems.push(`${where}: invalid topic: ${problem}`)
        continue
      }
      rules.lines++
      if (keyword === 'topic') {
        let list = rules.users.get(user)
        if (!list) rules.users.set(user, (list = []))
        add(list, { topic, access })
      } else {
        const hasClientId = topic.includes('%c')
        const hasUser = topic.includes('%u')
        if (!hasClientId && !hasUser) remarks.push(`${where}: pattern "${topic}" contains neither %c nor %u`)
        add(rules.patterns, { topic, access, hasClientId, hasUser })
      }
    } else if (keyword === 'user') {
      const name = [m[2], m[3]].filter((s) => s !== undefined).join(' ').trim()
      if (!name) {
        problems.push(`${where}: user without a name`)
        continue
      }
      user = name
    } else {
      problems.push(`${where}: not understood: ${line}`)
    }
  }
  return { rules, problems, remarks }
}

/** The client an ACL is checked for. */
export interface AclClient {
  clientId: string
  username?: string
}

/** One list's answer: allowed, denied, or no matching line (undefined). */
function check(list: readonly AclEntry[], topic: string, access: AclAccess, expand?: (t: string) => string): boolean | undefined {
  const dollar = topic.startsWith('$')
  for (const entry of list) {
    const filter = expand ? expand(entry.topic) : entry.topic
    // A topic starting with $ only matches a line starting with $.
    if (dollar && !filter.startsWith('$')) continue
    if (!matchesFilter(filter, topic)) continue
    if (entry.access === DENY) return false
    if (entry.access & access) return true
  }
  return undefined
}

/** Replaces %c and %u (left as they are when the client has no user name). */
function expander(client: AclClient): (topic: string) => string {
  return (t) => t.replace(/%([cu])/g, (whole, which: string) => (which === 'c' ? client.clientId : (client.username ?? whole)))
}

/** Whether `client` may publish (WRITE) to or receive (READ) from `topic`. */
export function aclAllows(rules: AclRules, client: AclClient, topic: string, access: AclAccess): boolean {
  const own = rules.users.get(client.username ?? null)
  if (own) {
    const r = check(own, topic, access)
    if (r !== undefined) return r
  }
  if (rules.patterns.length === 0) return false
  // A user name or client id with a wildcard could match other clients' places in the tree.
  if (/[+#]/.test(client.username ?? '') || /[+#]/.test(client.clientId)) return false
  const patterns = client.username === undefined ? rules.patterns.filter((p) => !p.hasUser) : rules.patterns
  return check(patterns, topic, access, expander(client)) ?? false
}
