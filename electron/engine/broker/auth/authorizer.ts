import { readFileSync } from 'node:fs'
import { loopbackOnly } from '../../../../shared/loopback'
import type { MqttAuthStatusDto } from '../../../../shared/status'
import type { SourceLogger } from '../../log/logger'
import { aclAllows, parseAclFile, READ, WRITE, type AclRules } from './acl-file'
import { watchConfigFile } from './file-watch'
import { parsePasswordFile, verifyPassword, type PasswordHash } from './password-file'

/** What the embedded broker's authentication is configured with (EmbeddedMqttConfig). */
export interface MqttAuthOptions {
  passwordFile?: string
  aclFile?: string
  /** Undefined: decided as Mosquitto 2 does (see anonymousAllowed). */
  allowAnonymous?: boolean
}

/** Why a CONNECT was refused (all answered with CONNACK 5, docs/compatibility/mqtt-broker.md §3). */
export type RefusalReason = 'anonymous' | 'unknownUser' | 'badPassword' | 'noPasswordFile'

/** MQTT 3.1.1 CONNACK return code 5, "not authorized": Mosquitto's answer to every refused login (docs/compatibility/mqtt-broker.md §3). */
export const CONNACK_NOT_AUTHORIZED = 5

/**
 * Whether clients without a user name may connect (docs/compatibility/mqtt-broker.md §2). An
 * explicit setting wins. Otherwise: with a password file, no; with listeners on loopback only
 * (Mosquitto's "local only" mode), yes; with a listener beyond loopback, no.
 */
export function anonymousAllowed(opts: MqttAuthOptions, hosts: readonly string[]): boolean {
  if (opts.allowAnonymous !== undefined) return opts.allowAnonymous
  if (opts.passwordFile) return false
  return loopbackOnly(hosts)
}

/** Whether the embedded broker checks clients at all with these options. */
export function authEnabled(opts: MqttAuthOptions, hosts: readonly string[]): boolean {
  return Boolean(opts.passwordFile || opts.aclFile) || !anonymousAllowed(opts, hosts)
}

interface Loaded<T> {
  path: string
  value: T
  count: number
  loadedAt: number
  /** The text last read (used or not): the same text again is not read twice. */
  lastText: string
}

export type AuthResult = { ok: true } | { ok: false; reason: RefusalReason }

/**
 * The embedded broker's authentication and ACLs, from Mosquitto's own password and ACL files
 * (docs/compatibility/mqtt-broker.md; reloading: §5).
 * Both files are read at start (a missing or unreadable file is a start error) and again when
 * they change; a changed file with errors leaves the rules in force as they were, and the problems
 * are logged and shown in the status. Only network clients are checked: the engine's own
 * publications and subscriptions (agent, simulator, GUI) do not pass through Aedes' hooks.
 */
export class MqttAuthorizer {
  readonly allowAnonymous: boolean
  private passwords: Loaded<Map<string, PasswordHash>> | undefined
  private acl: Loaded<AclRules> | undefined
  /** Problems of each file's last reading, by path. */
  private readonly problems = new Map<string, string[]>()
  private lastReloadAt: number | undefined
  private readonly refused: Record<RefusalReason, number> = { anonymous: 0, unknownUser: 0, badPassword: 0, noPasswordFile: 0 }
  private readonly denied = { publish: 0, deliver: 0 }
  private readonly unwatch: Array<() => void> = []

  constructor(
    opts: MqttAuthOptions,
    hosts: readonly string[],
    private readonly log: SourceLogger,
    private readonly changed: () => void = () => undefined
  ) {
    this.allowAnonymous = anonymousAllowed(opts, hosts)
    if (opts.passwordFile) {
      const text = readStartFile(opts.passwordFile, 'password file')
      const parsed = parsePasswordFile(text)
      for (const p of parsed.problems) this.log.warn('MQTT_PASSWORD_FILE', `${opts.passwordFile}: ${p}`)
      if (parsed.problems.length > 0) this.problems.set(opts.passwordFile, parsed.problems.map((p) => `${opts.passwordFile}: ${p}`))
      this.passwords = { path: opts.passwordFile, value: parsed.users, count: parsed.users.size, loadedAt: Date.now(), lastText: text }
    }
    if (opts.aclFile) {
      const text = readStartFile(opts.aclFile, 'ACL file')
      const parsed = parseAclFile(text)
      // Mosquitto does not start with an ACL file it cannot read whole (docs/compatibility/mqtt-broker.md §4).
      if (parsed.problems.length > 0) throw new Error(`MQTT ACL file ${opts.aclFile}: ${parsed.problems.join('; ')}`)
      for (const r of parsed.remarks) this.log.warn('MQTT_ACL_FILE', `${opts.aclFile}: ${r}`)
      this.acl = { path: opts.aclFile, value: parsed.rules, count: parsed.rules.lines, loadedAt: Date.now(), lastText: text }
    }
    if (!this.allowAnonymous && !opts.passwordFile && opts.allowAnonymous === undefined) {
      this.log.warn(
        'MQTT_ANONYMOUS_REFUSED',
        'the embedded MQTT broker listens beyond this computer without a password file: every MQTT client is refused, as Mosquitto 2 does. ' +
          'Give --mqtt-password-file (mosquitto_passwd format), or --mqtt-allow-anonymous true to let clients connect without credentials (e.g. trainees in a classroom).'
      )
    }
  }

  /** Starts watching the files; each change is read again and, when valid, replaces the rules in force. */
  watch(): void {
    if (this.passwords) {
      const path = this.passwords.path
      this.unwatch.push(watchConfigFile(path, () => this.reloadPasswords(path)))
    }
    if (this.acl) {
      const path = this.acl.path
      this.unwatch.push(watchConfigFile(path, () => this.reloadAcl(path)))
    }
  }

  close(): void {
    for (const u of this.unwatch.splice(0)) u()
  }

  /** Mosquitto 2's login check (docs/compatibility/mqtt-broker.md §2, §3). */
  async authenticate(username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    const result = await this.check(username, password)
    if (!result.ok) {
      this.refused[result.reason]++
      this.changed()
    }
    return result
  }

  private async check(username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    const passwords = this.passwords
    if (!passwords) {
      if (this.allowAnonymous) return { ok: true }
      return { ok: false, reason: username === undefined ? 'anonymous' : 'noPasswordFile' }
    }
    if (username === undefined) return this.allowAnonymous ? { ok: true } : { ok: false, reason: 'anonymous' }
    const entry = passwords.value.get(username)
    if (!entry) return { ok: false, reason: 'unknownUser' }
    if (!password) return { ok: false, reason: 'badPassword' }
    return (await verifyPassword(entry, password)) ? { ok: true } : { ok: false, reason: 'badPassword' }
  }

  /** Whether an ACL file is in force (without one every authenticated client may publish and receive anything). */
  get hasAcl(): boolean {
    return this.acl !== undefined
  }

  mayPublish(clientId: string, username: string | undefined, topic: string): boolean {
    const acl = this.acl
    if (!acl) return true
    const ok = aclAllows(acl.value, { clientId, username }, topic, WRITE)
    if (!ok) {
      this.denied.publish++
      this.log.debug('MQTT_PUBLISH_DENIED', `denied PUBLISH from ${clientId} to ${topic} (ACL); dropped`)
    }
    return ok
  }

  mayReceive(clientId: string, username: string | undefined, topic: string): boolean {
    const acl = this.acl
    if (!acl) return true
    const ok = aclAllows(acl.value, { clientId, username }, topic, READ)
    if (!ok) this.denied.deliver++
    return ok
  }

  status(): MqttAuthStatusDto {
    const s: MqttAuthStatusDto = {
      enabled: Boolean(this.passwords || this.acl) || !this.allowAnonymous,
      allowAnonymous: this.allowAnonymous,
      problems: [...this.problems.values()].flat(),
      refused: { ...this.refused },
      denied: { ...this.denied }
    }
    if (this.passwords) s.passwordFile = { path: this.passwords.path, users: this.passwords.count, loadedAt: this.passwords.loadedAt }
    if (this.acl) s.aclFile = { path: this.acl.path, lines: this.acl.count, loadedAt: this.acl.loadedAt }
    if (this.lastReloadAt !== undefined) s.lastReloadAt = this.lastReloadAt
    return s
  }

  private reloadPasswords(path: string): void {
    this.reload(path, 'password file', this.passwords, (text) => {
      const parsed = parsePasswordFile(text)
      return { problems: parsed.problems, apply: (at) => (this.passwords = { path, value: parsed.users, count: parsed.users.size, loadedAt: at, lastText: text }) }
    })
  }

  private reloadAcl(path: string): void {
    this.reload(path, 'ACL file', this.acl, (text) => {
      const parsed = parseAclFile(text)
      return { problems: parsed.problems, apply: (at) => (this.acl = { path, value: parsed.rules, count: parsed.rules.lines, loadedAt: at, lastText: text }) }
    })
  }

  /** Reads a changed file; valid content replaces the rules at once, invalid content is reported and ignored. */
  private reload<T>(path: string, what: string, current: Loaded<T> | undefined, parse: (text: string) => { problems: string[]; apply: (at: number) => void }): void {
    if (!current) return
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      const problem = `${path}: the ${what} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the rules read before stay in force`
      if (!this.problems.get(path)?.includes(problem)) {
        this.problems.set(path, [problem])
        this.log.warn('MQTT_AUTH_RELOAD', problem)
        this.changed()
      }
      current.lastText = ''
      return
    }
    if (text === current.lastText) return
    current.lastText = text
    const at = Date.now()
    this.lastReloadAt = at
    const { problems, apply } = parse(text)
    if (problems.length > 0) {
      this.problems.set(path, problems.map((p) => `${path}: ${p}`))
      this.log.warn('MQTT_AUTH_RELOAD', `${path}: the changed ${what} has errors, the rules read before stay in force: ${problems.join('; ')}`)
    } else {
      apply(at)
      this.problems.delete(path)
      this.log.info('MQTT_AUTH_RELOAD', `${path}: ${what} read again`)
    }
    this.changed()
  }
}

function readStartFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(`MQTT ${what} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err })
  }
}
