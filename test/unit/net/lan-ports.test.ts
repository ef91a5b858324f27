import { describe, expect, it } from 'vitest'
import { lanDevicePorts, lanPortsText, type EndpointPorts } from '../../../shared/lan-ports'

const at = (...ports: number[]) => ports.map((port) => ({ port }))

describe('the ports a LAN device needs (shared/lan-ports.ts)', () => {
  it('the MQTT listeners and the south port, from the endpoints, in a fixed order, each port once', () => {
    const endpoints: EndpointPorts[] = [
      { role: 'iota-north', addresses: at(4042, 4042) },
      { role: 'iota-south', addresses: at(17896, 17896) },
      { role: 'ngsi', addresses: at(1026) },
      { role: 'mqtt-ws', addresses: at(19001) },
      { role: 'mqtt', addresses: at(11883, 11883) },
      { role: 'sth', addresses: at(8666) }
    ]
    expect(lanDevicePorts(endpoints)).toEqual([
      { role: 'mqtt', port: 11883 },
      { role: 'mqtt-ws', port: 19001 },
      { role: 'iota-south', port: 17896 }
    ])
  })

  it('TLS listeners count when they listen; an external broker or a listener that is off adds nothing', () => {
    expect(
      lanDevicePorts([
        { role: 'mqtt-external', addresses: [] },
        { role: 'mqtts', addresses: at(8883) },
        { role: 'mqtt-wss', addresses: [] },
        { role: 'iota-south', addresses: at(0) }
      ])
    ).toEqual([{ role: 'mqtts', port: 8883 }])
    expect(lanDevicePorts([])).toEqual([])
  })

  it('the console text names each port with its service', () => {
    expect(lanPortsText([{ role: 'mqtt', port: 1883 }, { role: 'iota-south', port: 7896 }])).toBe('1883 (MQTT), 7896 (HTTP south: /iot/d, /iot/json)')
    expect(lanPortsText([{ role: 'mqtt', port: 1883 }], { mqtt: 'M', mqtts: 'S', 'mqtt-ws': 'W', 'mqtt-wss': 'X', 'iota-south': 'H' })).toBe('1883 (M)')
  })
})
