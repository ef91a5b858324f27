/**
 * Authentication towards an external Orion as a setting: its secrets (password, client secret,
 * token, trust) are write-only like the MQTT password, a saved one stays when a change leaves it
 * out, and settings.json refuses what cannot go in an HTTP header.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../electron/engine/config/defaults'
import { SettingsError, SettingsStore } from '../../../electron/engine/config/settings-store'
import type { SettingsPatch } from '../../../shared/settings'
import { tempDir } from '../../helpers/temp-dir'

describe('Orion authentication settings', () => {
  const dirs: Array<() => void> = []
  afterEach(() => {
    for (const d of dirs.splice(0)) d()
  })

  function store(): { store: SettingsStore; file: string } {
    const dir = tempDir('ulcc-orion-auth-')
    dirs.push(dir.cleanup)
    return { store: new SettingsStore(defaultConfig(dir.path)), file: join(dir.path, 'settings.json') }
  }

  it('never sends a secret back, says only that one waits for a restart, and keeps it on a later change', async () => {
    const { store: s, file } = store()
    const auth = { type: 'oauth2' as const, url: 'http://keyrock:3000', tokenPath: '/oauth2/token', clientId: 'cid', clientSecret: 'cs-1', trust: 'rt-1' }
    await s.update({ contextBroker: { mode: 'external', url: 'http://orion:1026', auth } })
    expect(s.values().contextBroker).toEqual({ mode: 'external', url: 'http://orion:1026', auth: { type: 'oauth2', url: 'http://keyrock:3000', tokenPath: '/oauth2/token', clientId: 'cid' } })
    expect(s.values(true).contextBroker).toMatchObject({ auth })
    const pending = s.pendingValues()
    expect(pending.find((p) => p.path === 'contextBroker.auth.clientSecret')).toEqual({ path: 'contextBroker.auth.clientSecret', secret: true })
    expect(pending.find((p) => p.path === 'contextBroker.auth.trust')).toEqual({ path: 'contextBroker.auth.trust', secret: true })
    expect(JSON.stringify([s.values(), pending, s.notices()])).not.toMatch(/cs-1|rt-1/)

    await s.update({ contextBroker: { auth: { clientId: 'cid-2' } } })
    expect(JSON.parse(readFileSync(file, 'utf8')).contextBroker.auth).toEqual({ ...auth, clientId: 'cid-2' })
    await s.update({ contextBroker: { auth: null } })
    expect(JSON.parse(readFileSync(file, 'utf8')).contextBroker).toEqual({ mode: 'external', url: 'http://orion:1026' })
  })

  it('refuses a token with a line break, an unknown type and a header name with a space', async () => {
    const { store: s } = store()
    const base = { mode: 'external', url: 'http://orion:1026' } as const
    for (const auth of [{ type: 'token', token: 'a\r\nX-Evil: 1' }, { type: 'kerberos' }, { type: 'token', token: 't', header: 'X Auth' }]) {
      await expect(s.update({ contextBroker: { ...base, auth } } as SettingsPatch)).rejects.toBeInstanceOf(SettingsError)
    }
  })
})
