import { describe, expect, it } from 'vitest'
import type { TraineeDto } from '../../../shared/classroom'
import {
  dropTraineeSession,
  FORGOTTEN_STORAGE_KEY,
  JOIN_CODE_STORAGE_KEY,
  loadTraineeSession,
  pageAccess,
  saveTraineeSession,
  takeJoinCode,
  TRAINEE_STORAGE_KEY,
  type ClassroomPageEnvironment,
  type TraineeSession
} from '../../../renderer/src/bridge/classroom-session'
import { TOKEN_STORAGE_KEY } from '../../../renderer/src/bridge/token'

/** A Storage over a Map; `broken` throws like a browser with storage disabled. */
function storage(broken = false): { map: Map<string, string>; getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void } {
  const map = new Map<string, string>()
  const check = (): void => {
    if (broken) throw new Error('SecurityError: storage is disabled')
  }
  return {
    map,
    getItem: (k) => (check(), map.get(k) ?? null),
    setItem: (k, v) => (check(), void map.set(k, v)),
    removeItem: (k) => (check(), void map.delete(k))
  }
}

/** A page at `href`, with this tab's and this browser's storage (shared between pages to model a reload). */
function page(href: string, session = storage(), local = storage()) {
  const env = {
    location: { href },
    history: {
      state: { kept: true },
      replaceState(state: unknown, _unused: string, url?: string) {
        this.state = state
        if (url !== undefined) env.location.href = new URL(url, env.location.href).href
      }
    },
    sessionStorage: session,
    localStorage: local
  } satisfies ClassroomPageEnvironment
  return env
}

const trainee: TraineeDto = { id: 'a1b2c3d4', name: 'Maria José', service: 'maria_jose', apikey: 'maria_jose_key', joinedAt: 1_765_000_000_000 }
const session = (code: string): TraineeSession => ({ token: 'f'.repeat(64), name: trainee.name, code, trainee })

describe('the join code', () => {
  it('is taken out of the address bar, other parameters and the fragment staying', () => {
    const env = page('http://192.168.0.10:8042/?join=k7mpq2xz&lang=pt#lessons')
    expect(takeJoinCode(env)).toBe('k7mpq2xz')
    expect(env.location.href).toBe('http://192.168.0.10:8042/?lang=pt#lessons')
    expect(env.history.state).toEqual({ kept: true })
    expect(env.sessionStorage.map.get(JOIN_CODE_STORAGE_KEY)).toBe('k7mpq2xz')
  })

  it('survives a reload of the tab (sessionStorage), and is none in another tab', () => {
    const tab = storage()
    takeJoinCode(page('http://h:8042/?join=k7mpq2xz', tab))
    expect(takeJoinCode(page('http://h:8042/', tab))).toBe('k7mpq2xz')
    expect(takeJoinCode(page('http://h:8042/', storage()))).toBeNull()
  })

  it('lives as long as the page when storage is disabled', () => {
    const env = page('http://h:8042/?join=k7mpq2xz', storage(true), storage(true))
    expect(takeJoinCode(env)).toBe('k7mpq2xz')
    expect(env.location.href).toBe('http://h:8042/')
    expect(pageAccess(page('http://h:8042/?join=k7mpq2xz', storage(true), storage(true)))).toEqual({ kind: 'join', code: 'k7mpq2xz', forgotten: null, name: '' })
  })
})

describe('the trainee session', () => {
  it('is kept in localStorage and read back only when whole', () => {
    const env = page('http://h:8042/')
    expect(loadTraineeSession(env)).toBeNull()
    saveTraineeSession(env, session('k7mpq2xz'))
    expect(loadTraineeSession(env)).toEqual(session('k7mpq2xz'))
    for (const bad of ['{', '"text"', JSON.stringify({ ...session('k7mpq2xz'), token: '' }), JSON.stringify({ ...session('k7mpq2xz'), trainee: { ...trainee, apikey: 7 } })]) {
      env.localStorage.map.set(TRAINEE_STORAGE_KEY, bad)
      expect(loadTraineeSession(env), bad).toBeNull()
    }
  })
})

describe('who a page is', () => {
  it('is a trainee still to join with a join code and no session', () => {
    const env = page('http://h:8042/?join=k7mpq2xz')
    expect(pageAccess(env)).toEqual({ kind: 'join', code: 'k7mpq2xz', forgotten: null, name: '' })
    expect(env.location.href).toBe('http://h:8042/')
  })

  it('is that trainee once the browser joined the class of this code, after a reload too', () => {
    const tab = storage()
    const browser = storage()
    saveTraineeSession(page('http://h:8042/', tab, browser), session('k7mpq2xz'))
    expect(pageAccess(page('http://h:8042/?join=k7mpq2xz', tab, browser))).toEqual({ kind: 'trainee', session: session('k7mpq2xz') })
    expect(pageAccess(page('http://h:8042/', tab, browser))).toEqual({ kind: 'trainee', session: session('k7mpq2xz') })
    // A trainee who reopens the plain address in a new tab.
    expect(pageAccess(page('http://h:8042/', storage(), browser))).toEqual({ kind: 'trainee', session: session('k7mpq2xz') })
  })

  it('asks again for a name in a class of another code, proposing the last one', () => {
    const env = page('http://h:8042/?join=newcode9')
    saveTraineeSession(env, session('k7mpq2xz'))
    expect(pageAccess(env)).toEqual({ kind: 'join', code: 'newcode9', forgotten: null, name: 'Maria José' })
  })

  it('is the trainer (or the only user) with the GUI token in the address, whatever the tab was before', () => {
    const tab = storage()
    const browser = storage()
    pageAccess(page('http://h:8042/?join=k7mpq2xz', tab, browser))
    saveTraineeSession(page('http://h:8042/', tab, browser), session('k7mpq2xz'))
    const env = page('http://h:8042/?token=abc123', tab, browser)
    expect(pageAccess(env)).toEqual({ kind: 'gui', token: 'abc123' })
    expect(env.location.href).toBe('http://h:8042/')
    expect(tab.map.has(JOIN_CODE_STORAGE_KEY)).toBe(false)
    expect(pageAccess(page('http://h:8042/', tab, browser))).toEqual({ kind: 'gui', token: 'abc123' })
  })

  it('is a trainee when the trainee address is opened in a tab that had the GUI token', () => {
    const tab = storage()
    pageAccess(page('http://h:8042/?token=abc123', tab))
    expect(pageAccess(page('http://h:8042/?join=k7mpq2xz', tab))).toMatchObject({ kind: 'join', code: 'k7mpq2xz' })
    expect(tab.map.has(TOKEN_STORAGE_KEY)).toBe(false)
    expect(pageAccess(page('http://h:8042/', tab))).toMatchObject({ kind: 'join', code: 'k7mpq2xz' })
  })

  it('has no token at all without anything (the banner says which address to open)', () => {
    expect(pageAccess(page('http://h:8042/'))).toEqual({ kind: 'gui', token: null })
  })

  it('is back on the join page, told why, when the server forgot the trainee', () => {
    const tab = storage()
    const browser = storage()
    saveTraineeSession(page('http://h:8042/', tab, browser), session('k7mpq2xz'))
    dropTraineeSession(page('http://h:8042/', tab, browser), session('k7mpq2xz'))
    expect(browser.map.has(TRAINEE_STORAGE_KEY)).toBe(false)
    expect(pageAccess(page('http://h:8042/?join=k7mpq2xz', tab, browser))).toEqual({ kind: 'join', code: 'k7mpq2xz', forgotten: 'Maria José', name: 'Maria José' })
    // Without the code (the trainee had reopened the plain address): the join page says what to open.
    const other = storage()
    other.map.set(FORGOTTEN_STORAGE_KEY, 'Maria José')
    expect(pageAccess(page('http://h:8042/', other, browser))).toEqual({ kind: 'join', code: null, forgotten: 'Maria José', name: 'Maria José' })
    // Joining again ends the message.
    saveTraineeSession(page('http://h:8042/', tab, browser), session('k7mpq2xz'))
    expect(tab.map.has(FORGOTTEN_STORAGE_KEY)).toBe(false)
  })
})
