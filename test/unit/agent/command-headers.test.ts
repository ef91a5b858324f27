import { describe, expect, it } from 'vitest'
import { commandPushHeaders } from '../../../electron/engine/agent/command-headers'

/** The headers of a pushed command (docs/compatibility/iot-agent-json.md §4.5). */

const dev = {
  deviceId: 'dev01',
  entityId: 'urn:ngsi-ld:Lamp:001',
  entityType: 'Lamp',
  scope: { service: 'openiot', servicePath: '/floor1' },
  statics: [
    { name: 'zone', value: 'north' },
    { name: 'level', value: '2' }
  ]
}
const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/floor1' }

describe('commandPushHeaders', () => {
  it("the codec's content type and the tenant headers when the command has no settings", () => {
    expect(commandPushHeaders(dev, {}, 'application/json', true)).toEqual({ ok: true, headers: { ...TENANT, 'content-type': 'application/json' } })
    // An empty contentType falls back, as the reference's truthiness test does.
    expect(commandPushHeaders(dev, { contentType: '' }, 'application/json', true)).toEqual({ ok: true, headers: { ...TENANT, 'content-type': 'application/json' } })
  })

  it("an agent without per-command settings (UltraLight) ignores the command's contentType and headers", () => {
    const r = commandPushHeaders(dev, { contentType: 'application/xml', headers: { 'x-id': 'id' } }, 'text/plain', false)
    expect(r).toEqual({ ok: true, headers: { ...TENANT, 'content-type': 'text/plain' } })
  })

  it('evaluates each header over id, type, service, subservice, entity_name and the statics', () => {
    const headers = {
      'X-Id': 'id',
      'x-type': 'type',
      'x-entity': 'entity_name',
      'x-tenant': "service + subservice",
      'x-zone': 'zone',
      'x-level': 'level + 1',
      'x-flag': 'level > 1',
      'x-list': '[zone, level]',
      'x-object': '{z: zone}'
    }
    expect(commandPushHeaders(dev, { contentType: 'text/csv', headers }, 'application/json', true)).toEqual({
      ok: true,
      headers: {
        ...TENANT,
        'content-type': 'text/csv',
        'x-id': 'dev01',
        'x-type': 'Lamp',
        'x-entity': 'urn:ngsi-ld:Lamp:001',
        'x-tenant': 'openiot/floor1',
        'x-zone': 'north',
        'x-level': '3',
        'x-flag': 'true',
        'x-list': '["north",2]',
        'x-object': '{"z":"north"}'
      }
    })
  })

  it("a command header replaces a tenant header of the same name; content-length stays the agent's", () => {
    const r = commandPushHeaders(dev, { headers: { 'FIWARE-Service': "'other'", 'Content-Length': '99' } }, 'application/json', true)
    expect(r).toEqual({ ok: true, headers: { 'fiware-service': 'other', 'fiware-servicepath': '/floor1', 'content-type': 'application/json' } })
  })

  it('a header without a value (unknown name, syntax error, null) is refused with its name', () => {
    for (const source of ['nosuch', 'id +', 'null']) {
      const r = commandPushHeaders(dev, { headers: { 'x-a': 'id', 'x-b': source } }, 'application/json', true)
      expect(r).toEqual({ ok: false, reason: `header x-b: its expression ${JSON.stringify(source)} gives no value, so the command was not sent` })
    }
  })

  it('a header name or value HTTP does not allow is refused, and so is such a contentType', () => {
    const name = commandPushHeaders(dev, { headers: { 'x bad': 'id' } }, 'application/json', true)
    expect(name.ok).toBe(false)
    expect(name.ok ? '' : name.reason).toMatch(/^header x bad: Header name must be a valid HTTP token/)
    const value = commandPushHeaders(dev, { headers: { 'x-crlf': "'a\r\nb'" } }, 'application/json', true)
    expect(value.ok ? '' : value.reason).toMatch(/^header x-crlf: Invalid character in header content/)
    const type = commandPushHeaders(dev, { contentType: 'text/plain\nx-evil: 1' }, 'application/json', true)
    expect(type.ok ? '' : type.reason).toMatch(/^contentType: Invalid character in header content/)
  })
})
