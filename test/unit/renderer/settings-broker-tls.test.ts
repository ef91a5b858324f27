/**
 * The settings form's embedded-broker TLS listeners (mqtts, wss, certificate, key, client CA,
 * required client certificate) and the CORS preflight cache time: shown from the saved values,
 * checked as the engine checks them at start, and sent as a patch the settings schema accepts
 * (the engine's merge of it is exercised by test/e2e/gui-settings.spec.ts).
 */
import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { SettingsSchema } from '../../../shared/settings'
import { buildPatch, modelFrom, validateSettings, type SettingsModel } from '../../../renderer/src/services/settings-form'

const schema = Compile(SettingsSchema)

const TLS = { tlsPort: 8883, wssPort: 8084, tlsCertFile: '/etc/tls/server.crt', tlsKeyFile: '/etc/tls/server.key' }

describe('the settings form: TLS listeners of the built-in broker', () => {
  it('shows the saved listeners, and nothing for an external broker or none saved', () => {
    expect(modelFrom({ mqtt: { mode: 'embedded', ...TLS, tlsCaFile: '/etc/tls/ca.crt', requireCertificate: true } })).toMatchObject({
      mqttTlsPort: 8883,
      mqttWssPort: 8084,
      mqttTlsCertFile: '/etc/tls/server.crt',
      mqttTlsKeyFile: '/etc/tls/server.key',
      mqttTlsCaFile: '/etc/tls/ca.crt',
      mqttRequireCertificate: true
    })
    const off = { mqttTlsPort: '', mqttWssPort: '', mqttTlsCertFile: '', mqttTlsKeyFile: '', mqttTlsCaFile: '', mqttRequireCertificate: false }
    expect(modelFrom({})).toMatchObject(off)
    expect(modelFrom({ mqtt: { mode: 'external', url: 'mqtt://broker.lan' } })).toMatchObject(off)
  })

  it('turns a listener on with the mode settings.json needs, and the result is valid settings', () => {
    const original = modelFrom({})
    const edited: SettingsModel = { ...original, mqttTlsPort: 8883, mqttTlsCertFile: ' /etc/tls/server.crt ', mqttTlsKeyFile: '/etc/tls/server.key' }
    expect(validateSettings(edited)).toEqual({})
    const patch = buildPatch(original, edited, {})
    expect(patch).toEqual({ mqtt: { mode: 'embedded', tlsPort: 8883, tlsCertFile: '/etc/tls/server.crt', tlsKeyFile: '/etc/tls/server.key' } })
    // Merged into a settings.json without `mqtt` (the default), the patch is the file: valid settings.
    expect(schema.Check(patch)).toBe(true)
  })

  it('removes an emptied port or path (listener off), and sends the client certificate choice', () => {
    const saved = modelFrom({ mqtt: { mode: 'embedded', ...TLS } })
    const edited: SettingsModel = { ...saved, mqttWssPort: '', mqttTlsCaFile: '/etc/tls/ca.crt', mqttRequireCertificate: true }
    expect(validateSettings(edited)).toEqual({})
    const patch = buildPatch(saved, edited, {})
    expect(patch).toEqual({ mqtt: { mode: 'embedded', wssPort: null, tlsCaFile: '/etc/tls/ca.crt', requireCertificate: true } })
    // All off again: ports and files removed.
    const off: SettingsModel = { ...saved, mqttTlsPort: '', mqttWssPort: '', mqttTlsCertFile: '', mqttTlsKeyFile: ' ' }
    expect(validateSettings(off)).toEqual({})
    expect(buildPatch(saved, off, {})).toEqual({ mqtt: { mode: 'embedded', tlsPort: null, wssPort: null, tlsCertFile: null, tlsKeyFile: null } })
    // Unchanged but for spaces: nothing to send.
    expect(buildPatch(saved, { ...saved, mqttTlsCertFile: ` ${TLS.tlsCertFile} ` }, {})).toEqual({})
  })

  it('never sends what a flag or a variable fixes', () => {
    const original = modelFrom({})
    const edited: SettingsModel = { ...original, mqttTlsPort: 8883, mqttTlsCertFile: '/c.pem', mqttTlsKeyFile: '/k.pem', mqttRequireCertificate: true, mqttTlsCaFile: '/ca.pem' }
    const fixed = { 'mqtt.tlsPort': 'flag', 'mqtt.tlsCertFile': 'env', 'mqtt.tlsKeyFile': 'env', 'mqtt.tlsCaFile': 'flag', 'mqtt.requireCertificate': 'env' } as const
    expect(buildPatch(original, edited, fixed)).toEqual({})
    expect(buildPatch(original, edited, { 'mqtt.tlsPort': 'flag' })).toEqual({ mqtt: { mode: 'embedded', tlsCertFile: '/c.pem', tlsKeyFile: '/k.pem', tlsCaFile: '/ca.pem', requireCertificate: true } })
  })

  it('explains a bad port, a TLS port without certificate and key, and a required certificate without CA', () => {
    const m = modelFrom({})
    expect(validateSettings({ ...m, mqttTlsPort: 70000, mqttTlsCertFile: '/c.pem', mqttTlsKeyFile: '/k.pem' })).toEqual({ mqttTlsPort: 'settings.problem.portOrOff' })
    expect(validateSettings({ ...m, mqttWssPort: 1.5, mqttTlsCertFile: '/c.pem', mqttTlsKeyFile: '/k.pem' })).toEqual({ mqttWssPort: 'settings.problem.portOrOff' })
    expect(validateSettings({ ...m, mqttWssPort: 8084 })).toEqual({ mqttTlsCertFile: 'settings.problem.tlsFiles', mqttTlsKeyFile: 'settings.problem.tlsFiles' })
    expect(validateSettings({ ...m, mqttTlsPort: 0, mqttTlsCertFile: '/c.pem' })).toEqual({ mqttTlsKeyFile: 'settings.problem.tlsFiles' })
    expect(validateSettings({ ...m, mqttRequireCertificate: true })).toEqual({ mqttTlsCaFile: 'settings.problem.tlsCa' })
    // Files without a port are kept for later: no problem.
    expect(validateSettings({ ...m, mqttTlsCertFile: '/c.pem' })).toEqual({})
  })

  it('neither checks nor sends the listeners once an external broker is chosen', () => {
    const saved = modelFrom({ mqtt: { mode: 'embedded', ...TLS } })
    const external: SettingsModel = { ...saved, mqttMode: 'external', mqttUrl: 'mqtts://broker.lan:8883', mqttTlsCertFile: '', mqttRequireCertificate: true }
    expect(validateSettings(external)).toEqual({})
    const patch = buildPatch(saved, external, {})
    expect(patch).toEqual({ mqtt: { mode: 'external', url: 'mqtts://broker.lan:8883' } })
    expect(schema.Check(patch)).toBe(true)
  })

  it('switches from an external broker to the built-in one with its TLS listener in one change', () => {
    const saved = modelFrom({ mqtt: { mode: 'external', url: 'mqtt://broker.lan' } })
    const edited: SettingsModel = { ...saved, mqttMode: 'embedded', mqttTlsPort: 8883, mqttTlsCertFile: '/c.pem', mqttTlsKeyFile: '/k.pem' }
    const patch = buildPatch(saved, edited, {})
    expect(patch).toEqual({ mqtt: { mode: 'embedded', tlsPort: 8883, tlsCertFile: '/c.pem', tlsKeyFile: '/k.pem' } })
    expect(schema.Check(patch)).toBe(true)
  })
})

describe('the settings form: CORS preflight cache time', () => {
  it('shows Orion’s default or the saved value, and sends it beside the origin', () => {
    expect(modelFrom({}).corsMaxAge).toBe(86400)
    const saved = modelFrom({ cors: { origin: '__ALL', maxAge: 600 } })
    expect(saved).toMatchObject({ corsOrigin: '__ALL', corsMaxAge: 600 })
    expect(buildPatch(saved, { ...saved, corsMaxAge: 60 }, {})).toEqual({ cors: { maxAge: 60 } })
    expect(buildPatch(saved, { ...saved, corsMaxAge: 0, corsOrigin: 'http://localhost:3000' }, {})).toEqual({ cors: { origin: 'http://localhost:3000', maxAge: 0 } })
    expect(buildPatch(saved, { ...saved, corsMaxAge: 60 }, { 'cors.maxAge': 'flag' })).toEqual({})
    expect(schema.Check(buildPatch(saved, { ...saved, corsMaxAge: 60 }, {}))).toBe(true)
  })

  it('explains a time that is not a whole number of seconds in range', () => {
    const m = modelFrom({})
    for (const bad of [-1, 1.5, 2147483648, '' as unknown as number]) expect(validateSettings({ ...m, corsMaxAge: bad }), String(bad)).toEqual({ corsMaxAge: 'settings.problem.corsMaxAge' })
    expect(validateSettings({ ...m, corsMaxAge: 0 })).toEqual({})
  })
})
