import { defaultConfig } from '../../electron/engine/config/defaults'
import { EXTRA_PORTS } from '../../electron/engine/config/extra-ports'
import type { PortsConfig } from '../../electron/engine/config/types'

/** Every port of the engine at 0 (any free port), so that tests never need the tutorial's ports. */
export function ephemeralPorts(over: Partial<PortsConfig> = {}): PortsConfig {
  const ports = { ...defaultConfig('').ports }
  for (const k of Object.keys(ports) as Array<keyof PortsConfig>) ports[k] = 0
  return { ...ports, ...over }
}

/** The same as command-line flags of `serve` (`--ngsi-port 0 …`). */
export const EPHEMERAL_PORT_FLAGS: readonly string[] = [
  ...['ngsi-port', 'north-port', 'mqtt-port', 'mqtt-ws-port', 'gui-port'],
  ...EXTRA_PORTS.map(([, flag]) => flag)
].flatMap((flag) => [`--${flag}`, '0'])
