/**
 * The ports a real device on the LAN connects to (docs/tutorial-9.md): the embedded MQTT broker's
 * listeners (TCP, WebSocket, and their TLS ones when on) and the agents' HTTP south port
 * (UltraLight `/iot/d`, JSON `/iot/json`), taken from the running engine's endpoints, never from
 * defaults. A device with an HTTP `endpoint` is reached by the app, not the other way round: it
 * needs nothing more open on this computer.
 */
import type { EndpointRole } from './status'

/** The endpoint roles a LAN device connects to, in the order they are named. */
export const LAN_DEVICE_ROLES = ['mqtt', 'mqtts', 'mqtt-ws', 'mqtt-wss', 'iota-south'] as const satisfies readonly EndpointRole[]
export type LanDeviceRole = (typeof LAN_DEVICE_ROLES)[number]

export interface LanPort {
  role: LanDeviceRole
  /** A TCP port to open in this computer's firewall. */
  port: number
}

/** What the helper reads of an endpoint (shared/status.ts `ServiceEndpoint`). */
export interface EndpointPorts {
  role: EndpointRole
  addresses: ReadonlyArray<{ port: number }>
}

const isDeviceRole = (role: EndpointRole): role is LanDeviceRole => (LAN_DEVICE_ROLES as readonly EndpointRole[]).includes(role)

/**
 * The TCP ports a LAN device needs open, one per role and port, in `LAN_DEVICE_ROLES` order. An
 * endpoint that does not listen (no address: an external MQTT broker, a listener that is off) adds
 * nothing.
 */
export function lanDevicePorts(endpoints: readonly EndpointPorts[]): LanPort[] {
  const out: LanPort[] = []
  for (const role of LAN_DEVICE_ROLES) {
    for (const e of endpoints) {
      if (e.role !== role || !isDeviceRole(e.role)) continue
      for (const { port } of e.addresses) {
        if (port > 0 && !out.some((p) => p.role === role && p.port === port)) out.push({ role, port })
      }
    }
  }
  return out
}

/** English names of the roles, for the console (`serve`); the GUI has its own in both languages. */
export const LAN_PORT_NAMES_EN: Readonly<Record<LanDeviceRole, string>> = {
  mqtt: 'MQTT',
  mqtts: 'MQTT over TLS',
  'mqtt-ws': 'MQTT over WebSocket',
  'mqtt-wss': 'MQTT over secure WebSocket',
  'iota-south': 'HTTP south: /iot/d, /iot/json'
}

/** `1883 (MQTT), 7896 (HTTP south: /iot/d, /iot/json)`: the ports with their names. */
export function lanPortsText(ports: readonly LanPort[], names: Readonly<Record<LanDeviceRole, string>> = LAN_PORT_NAMES_EN): string {
  return ports.map((p) => `${p.port} (${names[p.role]})`).join(', ')
}
