import { describe, expect, it } from 'vitest'
import { buildPatch, modelFrom, validateSettings } from '../../../renderer/src/services/settings-form'

describe('the settings form: allowed host names and CORS origin', () => {
  const values: Parameters<typeof modelFrom>[0] = { hosts: ['0.0.0.0'], allowedHosts: ['iot.school.lan'], cors: { maxAge: 86400 } }

  it('shows the saved values and sends only what changed', () => {
    const original = modelFrom(values)
    expect(original).toMatchObject({ allowedHosts: 'iot.school.lan', corsOrigin: '' })
    const edited = { ...original, allowedHosts: 'iot.school.lan, 10.0.0.7', corsOrigin: ' http://localhost:3000 ' }
    expect(buildPatch(original, edited, {})).toEqual({ allowedHosts: ['iot.school.lan', '10.0.0.7'], cors: { origin: 'http://localhost:3000' } })
    // Emptied: the origin is removed (CORS off), the list saved empty.
    const cleared = modelFrom({ ...values, cors: { origin: '__ALL', maxAge: 60 } })
    expect(buildPatch(cleared, { ...cleared, corsOrigin: '', allowedHosts: '' }, {})).toEqual({ allowedHosts: [], cors: { origin: null } })
    expect(buildPatch(original, edited, { allowedHosts: 'flag', 'cors.origin': 'env' })).toEqual({})
  })

  it('explains names with a scheme or port, and origins with a path', () => {
    const ok = { ...modelFrom(values), allowedHosts: 'a.example, [fe80::1], 192.168.0.2, trainer-pc', corsOrigin: '__ALL' }
    expect(validateSettings(ok)).toEqual({})
    const bad = { ...modelFrom(values), allowedHosts: 'http://a.example', corsOrigin: 'http://localhost:3000/app' }
    expect(validateSettings(bad)).toEqual({ allowedHosts: 'settings.problem.allowedHosts', corsOrigin: 'settings.problem.corsOrigin' })
    expect(validateSettings({ ...ok, allowedHosts: 'a.example:8080' })).toEqual({ allowedHosts: 'settings.problem.allowedHosts' })
  })
})
