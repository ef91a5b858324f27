/**
 * Joining a classroom (docs/classroom.md): the page posts `{code, name}` as JSON to JOIN_PATH of
 * the server it came from. The answer is checked before it is used: anything else than the
 * contract's shape is an error of its own (`BAD_ANSWER`), a failed fetch is `NETWORK`.
 */
import { JOIN_PATH, MAX_TRAINEE_NAME, type ClassroomJoinAnswer, type TraineeDto } from '../../../shared/classroom'
import { isTrainee } from './classroom-session'

export type JoinErrorName = Extract<ClassroomJoinAnswer, { ok: false }>['error']['name'] | 'NETWORK' | 'BAD_ANSWER'

export type JoinResult = { ok: true; token: string; trainee: TraineeDto } | { ok: false; error: { name: JoinErrorName; message: string; status?: number } }

/** The few parts of `fetch` this needs. */
export type JoinFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; cache: 'no-store'; credentials: 'same-origin' }
) => Promise<{ status: number; json(): Promise<unknown> }>

const SERVER_ERRORS: ReadonlySet<string> = new Set(['BAD_REQUEST', 'WRONG_CODE', 'NAME_TAKEN', 'CLASSROOM_FULL', 'NO_CLASSROOM'])

/** A trainee's name as the server takes it: trimmed; null when empty or longer than MAX_TRAINEE_NAME. */
export function traineeName(raw: string): string | null {
  const name = raw.trim()
  return name.length >= 1 && [...name].length <= MAX_TRAINEE_NAME ? name : null
}

/** Reads the server's answer: the contract's shape, or BAD_ANSWER. */
export function readJoinAnswer(status: number, body: unknown): JoinResult {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (status === 200 && b.ok === true && typeof b.token === 'string' && b.token.length > 0 && isTrainee(b.trainee)) {
    return { ok: true, token: b.token, trainee: b.trainee }
  }
  const e = (typeof b.error === 'object' && b.error !== null ? b.error : {}) as Record<string, unknown>
  if (status >= 400 && b.ok === false && typeof e.name === 'string' && SERVER_ERRORS.has(e.name)) {
    return { ok: false, error: { name: e.name as JoinErrorName, message: typeof e.message === 'string' ? e.message : '', status } }
  }
  return { ok: false, error: { name: 'BAD_ANSWER', message: `the server answered HTTP ${status} without the expected answer`, status } }
}

function defaultFetch(...args: Parameters<JoinFetch>): ReturnType<JoinFetch> {
  const f = (globalThis as unknown as { fetch?: JoinFetch }).fetch
  if (!f) return Promise.reject(new Error('no fetch in this environment'))
  return f(...args)
}

/** Posts the join request to `origin` (the page's own: `location.origin`). */
export async function joinClassroom(origin: string, code: string, name: string, fetchImpl: JoinFetch = defaultFetch): Promise<JoinResult> {
  let res: Awaited<ReturnType<JoinFetch>>
  try {
    res = await fetchImpl(`${origin}${JOIN_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, name }),
      cache: 'no-store',
      credentials: 'same-origin'
    })
  } catch (err) {
    return { ok: false, error: { name: 'NETWORK', message: (err as Error).message } }
  }
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = null
  }
  return readJoinAnswer(res.status, body)
}
