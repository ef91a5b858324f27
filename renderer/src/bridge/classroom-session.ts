/**
 * Who this browser page is, before anything talks to the engine (classroom mode, docs/classroom.md):
 *
 * - the GUI's token (`/?token=…`, token.ts): the only user of plain `serve`, or the trainer;
 * - a trainee: the page was opened with the classroom's join code (`/?join=…`) and this browser
 *   already joined (its trainee session, in localStorage so that it survives closing the tab);
 * - a trainee still to join: the code is known, the session is not; the page asks for a name.
 *
 * The join code, like the token, is taken out of the address bar and kept in sessionStorage.
 */
import { JOIN_PARAM, MAX_TRAINEE_NAME, type TraineeDto } from '../../../shared/classroom'
import { TOKEN_PARAM } from '../../../shared/ws-protocol'
import { TOKEN_STORAGE_KEY, takeToken, type PageEnvironment } from './token'

export const JOIN_CODE_STORAGE_KEY = 'ulcc.joinCode'
export const TRAINEE_STORAGE_KEY = 'ulcc.trainee'
/** The name of a trainee whose token the server no longer knew (shown once on the join page). */
export const FORGOTTEN_STORAGE_KEY = 'ulcc.traineeForgotten'

interface Storage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem?(key: string): void
}

export interface ClassroomPageEnvironment extends PageEnvironment {
  sessionStorage?: Storage
  localStorage?: Storage
}

/** What this browser keeps after joining: the trainee's own token and who it is. */
export interface TraineeSession {
  token: string
  name: string
  /** The join code it joined with: a session of another classroom (another code) is not used. */
  code: string
  trainee: TraineeDto
}

export type PageAccess =
  | { kind: 'gui'; token: string | null }
  | { kind: 'trainee'; session: TraineeSession }
  | {
      kind: 'join'
      /** null: the page has no join code (the trainee must open the address the trainer gave). */
      code: string | null
      /** The name this browser had joined with when the server no longer knew it. */
      forgotten: string | null
      /** The name to propose (the last one used). */
      name: string
    }

function read(storage: Storage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null
  } catch {
    return null
  }
}

function write(storage: Storage | undefined, key: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem?.(key)
    else storage?.setItem(key, value)
  } catch {
    // Storage disabled: the value lives as long as the page.
  }
}

const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max

export function isTrainee(v: unknown): v is TraineeDto {
  const t = v as Partial<TraineeDto> | null
  return (
    !!t &&
    typeof t === 'object' &&
    isText(t.id) &&
    isText(t.name, MAX_TRAINEE_NAME * 4) &&
    isText(t.service, 50) &&
    isText(t.apikey) &&
    typeof t.joinedAt === 'number'
  )
}

function isSession(v: unknown): v is TraineeSession {
  const s = v as Partial<TraineeSession> | null
  return !!s && typeof s === 'object' && isText(s.token, 1000) && isText(s.name, MAX_TRAINEE_NAME * 4) && isText(s.code, 1000) && isTrainee(s.trainee)
}

/** Reads the join code (URL first, else sessionStorage) and takes it out of the address bar. */
export function takeJoinCode(env: ClassroomPageEnvironment): string | null {
  const url = new URL(env.location.href)
  const fromUrl = url.searchParams.get(JOIN_PARAM)
  if (fromUrl) {
    write(env.sessionStorage, JOIN_CODE_STORAGE_KEY, fromUrl)
    url.searchParams.delete(JOIN_PARAM)
    env.history.replaceState(env.history.state, '', `${url.pathname}${url.search}${url.hash}`)
    return fromUrl
  }
  return read(env.sessionStorage, JOIN_CODE_STORAGE_KEY)
}

/** The trainee session this browser keeps, or null (none, or not readable). */
export function loadTraineeSession(env: ClassroomPageEnvironment): TraineeSession | null {
  const raw = read(env.localStorage, TRAINEE_STORAGE_KEY)
  if (raw === null) return null
  try {
    const v: unknown = JSON.parse(raw)
    return isSession(v) ? v : null
  } catch {
    return null
  }
}

export function saveTraineeSession(env: ClassroomPageEnvironment, session: TraineeSession): void {
  write(env.localStorage, TRAINEE_STORAGE_KEY, JSON.stringify(session))
  write(env.sessionStorage, FORGOTTEN_STORAGE_KEY, null)
}

/** Forgets the trainee session, because the server refused its token; the join page says so once. */
export function dropTraineeSession(env: ClassroomPageEnvironment, session: TraineeSession): void {
  write(env.localStorage, TRAINEE_STORAGE_KEY, null)
  write(env.sessionStorage, FORGOTTEN_STORAGE_KEY, session.name)
}

/**
 * Decides who this page is, taking the token and the join code out of the address bar. What the
 * address carries wins; then what this tab kept (sessionStorage); then a trainee session of this
 * browser (a trainee who reopened the plain address).
 */
export function pageAccess(env: ClassroomPageEnvironment): PageAccess {
  const params = new URL(env.location.href).searchParams
  const urlToken = params.has(TOKEN_PARAM)
  const urlJoin = params.has(JOIN_PARAM)
  const code = takeJoinCode(env)
  const token = takeToken(env)
  const session = loadTraineeSession(env)

  // The trainer's address opened in a tab that was a trainee's, or the other way round.
  if (urlToken && token !== null) {
    write(env.sessionStorage, JOIN_CODE_STORAGE_KEY, null)
    return { kind: 'gui', token }
  }
  if (urlJoin) write(env.sessionStorage, TOKEN_STORAGE_KEY, null)
  if (code !== null) {
    if (session && session.code === code) return { kind: 'trainee', session }
    return joinPage(env, code, session)
  }
  if (token !== null) return { kind: 'gui', token }
  if (session) return { kind: 'trainee', session }
  const forgotten = read(env.sessionStorage, FORGOTTEN_STORAGE_KEY)
  // A trainee whose session was dropped, without the join code: the join page says what to open.
  if (forgotten !== null) return joinPage(env, null, null)
  return { kind: 'gui', token: null }
}

function joinPage(env: ClassroomPageEnvironment, code: string | null, session: TraineeSession | null): PageAccess {
  const forgotten = read(env.sessionStorage, FORGOTTEN_STORAGE_KEY)
  return { kind: 'join', code, forgotten, name: session?.name ?? forgotten ?? '' }
}
