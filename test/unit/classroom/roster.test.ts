import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { topicApikey } from '../../../electron/engine/classroom/classroom'
import { cleanName, newJoinCode, Roster, ROSTER_FILE, serviceSlug } from '../../../electron/engine/classroom/roster'
import { tempDir } from '../../helpers/temp-dir'

const dirs: Array<ReturnType<typeof tempDir>> = []
const dir = (): string => {
  const d = tempDir('ulcc-roster-')
  dirs.push(d)
  return d.path
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

describe('names and tenants', () => {
  it('derives a tenant name FIWARE accepts from any name', () => {
    expect(serviceSlug('Maria José')).toBe('maria_jose')
    expect(serviceSlug('  João  da Silva-Souza ')).toBe('joao_da_silva_souza')
    expect(serviceSlug('Zoë 2º')).toBe('zoe_2')
    expect(serviceSlug('李雷')).toBe('trainee')
    expect(serviceSlug('a'.repeat(45) + ' b')).toMatch(/^a{40}$/)
  })

  it('cleans a name, and refuses empty, long or control-character names', () => {
    expect(cleanName('  Ana   Paula ')).toBe('Ana Paula')
    expect(cleanName('')).toBeUndefined()
    expect(cleanName('x'.repeat(41))).toBeUndefined()
    expect(cleanName('Ana\u0007')).toBeUndefined()
    expect(cleanName(42)).toBeUndefined()
  })

  it('reads the API key of a topic', () => {
    expect(topicApikey('/ul/ana_key/device001/attrs')).toBe('ana_key')
    expect(topicApikey('/json/ana_key/device001/attrs')).toBe('ana_key')
    expect(topicApikey('json/ana_key/device001/cmdexe')).toBe('ana_key')
    expect(topicApikey('ana_key/device001/attrs')).toBe('ana_key')
    expect(topicApikey('/ana_key/device001/cmdexe')).toBe('ana_key')
    expect(topicApikey('lonely')).toBeUndefined()
  })

  it('draws readable join codes', () => {
    const code = newJoinCode()
    expect(code).toMatch(/^[a-z2-9]{8}$/)
    expect(code).not.toMatch(/[01ilo]/)
  })
})

describe('Roster', () => {
  it('gives each trainee an own tenant and key, keeps the tutorial tenants, and survives a restart', async () => {
    const d = dir()
    const problems: string[] = []
    const roster = await Roster.open(d, undefined, problems)
    expect(problems).toEqual([])
    const a = await roster.join('Ana')
    const b = await roster.join('ANA ')
    const c = await roster.join('Anã')
    const o = await roster.join('openiot')
    expect(a.ok && a.trainee).toMatchObject({ name: 'Ana', service: 'ana', apikey: 'ana_key' })
    expect(b).toMatchObject({ ok: false, error: { name: 'NAME_TAKEN' } })
    expect(c.ok && c.trainee.service).toBe('ana_2')
    expect(o.ok && o.trainee.service).toBe('openiot_2')
    if (!a.ok) throw new Error('join failed')

    // The file keeps hashes only: the token is not in it.
    const text = readFileSync(join(d, ROSTER_FILE), 'utf8')
    expect(text).not.toContain(a.token)
    const again = await Roster.open(d, undefined, problems)
    expect(again.code).toBe(roster.code)
    expect(again.byToken(a.token)).toMatchObject({ name: 'Ana', service: 'ana' })
    expect(again.byToken('f'.repeat(64))).toBeUndefined()
    expect(again.byToken('not a token')).toBeUndefined()
  })

  it('starts an empty class from a damaged file, and says so', async () => {
    const d = dir()
    writeFileSync(join(d, ROSTER_FILE), '{"format":1,"code":"x","trainees":"?"}')
    const problems: string[] = []
    const roster = await Roster.open(d, 'fixed123', problems)
    expect(problems).toEqual([expect.stringContaining('not a classroom roster')])
    expect(roster.list()).toEqual([])
    expect(roster.code).toBe('fixed123')
  })

  it('saves concurrent joins, all of them', async () => {
    const d = dir()
    const roster = await Roster.open(d, undefined, [])
    await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => roster.join(n)))
    const reread = await Roster.open(d, undefined, [])
    expect(reread.list().map((t) => t.name).sort()).toEqual(['A', 'B', 'C', 'D', 'E'])
  })
})
