import { describe, expect, it } from 'vitest'
import { buildPatch, modelFrom } from '../../../renderer/src/services/settings-form'

describe('the settings form: MQTT protocol version of the external broker', () => {
  it('shows 3.1.1 unless 5 was saved, and sends the version only when it changed and is not fixed', () => {
    expect(modelFrom({}).mqttProtocolVersion).toBe(4)
    const saved = modelFrom({ mqtt: { mode: 'external', url: 'mqtt://broker.lan', protocolVersion: 5 } })
    expect(saved.mqttProtocolVersion).toBe(5)
    expect(buildPatch(saved, saved, {})).toEqual({})
    expect(buildPatch(saved, { ...saved, mqttProtocolVersion: 4 }, {})).toEqual({ mqtt: { protocolVersion: 4 } })
    expect(buildPatch(saved, { ...saved, mqttProtocolVersion: 4 }, { 'mqtt.protocolVersion': 'flag' })).toEqual({})
  })
})
