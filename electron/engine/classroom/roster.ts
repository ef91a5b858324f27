/**
 * The trainees of a classroom (docs/classroom.md) and the join code: `<dataDir>/classroom/roster.json`,
 * written atomically at each join, read and validated at start. A trainee's token is kept only as
 * its SHA-256: the file does not let anyone act as a trainee. A damaged file is reported and the
 * class starts empty (the trainees join again); it never stops the engine.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { MAX_TRAINEE_NAME, type TraineeDto } from '../../../shared/classroom'
import { writeFileAtomic } from '../persist/atomic-file'

export const ROSTER_FILE = 'roster.json'
/** Trainees in one class. */
export const MAX_TRAINEES = 200
/** Longest service name derived from a trainee's name (fiware-service allows 50; `_NN` and `_key` are added). */
const MAX_SLUG = 40
/** Tenants a trainee's name must not map to: the tutorials' own. */
const RESERVED_SERVICES = new Set(['', 'openiot'])

const Trainee = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{8,32}$' }),
  name: Type.String({ minLength: 1, maxLength: MAX_TRAINEE_NAME }),
  service: Type.String({ pattern: '^[a-z0-9_]{1,50}$' }),
  apikey: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }),
  tokenHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  joinedAt: Type.Number()
})
const RosterDoc = Type.Object({ format: Type.Literal(1), code: Type.String({ pattern: '^[a-z0-9]{6,64}$' }), trainees: Type.Array(Trainee, { maxItems: MAX_TRAINEES }) })
const checkRoster = Compile(RosterDoc)

export type TraineeRecord = Type.Static<typeof Trainee>

export type JoinFailure = { name: 'BAD_REQUEST' | 'NAME_TAKEN' | 'CLASSROOM_FULL'; message: string }

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** A join code: 8 characters of [a-z0-9] without look-alikes (no 0/o, 1/l/i), easy to read aloud. */
export function newJoinCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('')
}

/** A name as kept: spaces collapsed and trimmed; undefined when empty, too long or with control characters. */
export function cleanName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim()
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || [...name].length > MAX_TRAINEE_NAME || /[\u0000-\u001f\u007f-\u009f]/.test(name)) return undefined
  return name
}

/** `Maria José` → `maria_jose`: the letters and digits of the name, accents removed, lowercase. */
export function serviceSlug(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/_+$/, '')
  return slug || 'trainee'
}

export class Roster {
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly file: string,
    readonly code: string,
    private readonly trainees: TraineeRecord[]
  ) {}

  /** Reads the roster; `code` (a fixed one from the command line) wins over the saved one, else a new one is drawn. */
  static async open(dir: string, code: string | undefined, problems: string[]): Promise<Roster> {
    const file = join(dir, ROSTER_FILE)
    let saved: Type.Static<typeof RosterDoc> | undefined
    try {
      const doc = JSON.parse(await readFile(file, 'utf8')) as unknown
      if (checkRoster.Check(doc)) saved = doc
      else problems.push(`${file}: not a classroom roster of this version; the class starts empty`)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${file}: cannot be read (${(err as Error).message}); the class starts empty`)
    }
    const roster = new Roster(file, code ?? saved?.code ?? newJoinCode(), saved?.trainees ?? [])
    if (!saved || saved.code !== roster.code) {
      await mkdir(dir, { recursive: true })
      await roster.save()
    }
    return roster
  }

  list(): TraineeDto[] {
    return this.trainees.map(dto)
  }

  byToken(token: string): TraineeDto | undefined {
    if (!/^[0-9a-f]{64}$/.test(token)) return undefined
    const h = hashToken(token)
    const t = this.trainees.find((x) => x.tokenHash === h)
    return t && dto(t)
  }

  /** Adds a trainee; returns the token (given once) or why not. */
  async join(rawName: unknown): Promise<{ ok: true; token: string; trainee: TraineeDto } | { ok: false; error: JoinFailure }> {
    const name = cleanName(rawName)
    if (!name) return { ok: false, error: { name: 'BAD_REQUEST', message: `a name of 1 to ${MAX_TRAINEE_NAME} characters is needed` } }
    const folded = name.toLocaleLowerCase()
    if (this.trainees.some((t) => t.name.toLocaleLowerCase() === folded)) return { ok: false, error: { name: 'NAME_TAKEN', message: `"${name}" is already in this class` } }
    if (this.trainees.length >= MAX_TRAINEES) return { ok: false, error: { name: 'CLASSROOM_FULL', message: `the class already has ${MAX_TRAINEES} trainees` } }
    const base = serviceSlug(name)
    let service = base
    for (let n = 2; RESERVED_SERVICES.has(service) || this.trainees.some((t) => t.service === service); n++) service = `${base}_${n}`
    const token = randomBytes(32).toString('hex')
    const record: TraineeRecord = { id: randomBytes(6).toString('hex'), name, service, apikey: `${service}_key`, tokenHash: hashToken(token), joinedAt: Date.now() }
    this.trainees.push(record)
    try {
      await this.save()
    } catch (err) {
      this.trainees.pop()
      throw err
    }
    return { ok: true, token, trainee: dto(record) }
  }

  /** Saves run one after the other, each writing the roster as it is when it runs. */
  private save(): Promise<void> {
    const run = this.saving.catch(() => undefined).then(() => writeFileAtomic(this.file, JSON.stringify({ format: 1, code: this.code, trainees: this.trainees }) + '\n'))
    this.saving = run
    return run
  }
}

const dto = (t: TraineeRecord): TraineeDto => ({ id: t.id, name: t.name, service: t.service, apikey: t.apikey, joinedAt: t.joinedAt })
