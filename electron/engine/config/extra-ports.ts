import type { PortsConfig } from './types'

/** The ports of the tutorials' other components: environment variable, flag, key. */
export const EXTRA_PORTS = [
  ['IOTA_HTTP_PORT', 'south-port', 'south'],
  ['ULCC_JSON_NORTH_PORT', 'json-north-port', 'jsonNorth'],
  ['ULCC_CONTEXT_PROVIDER_PORT', 'context-provider-port', 'contextProvider'],
  ['ULCC_DEVICES_PORT', 'devices-port', 'devices'],
  ['ULCC_CYGNUS_PORT', 'cygnus-port', 'cygnus'],
  ['ULCC_CYGNUS_API_PORT', 'cygnus-api-port', 'cygnusApi'],
  ['ULCC_STH_PORT', 'sth-port', 'sth']
] as const satisfies ReadonlyArray<readonly [string, string, keyof PortsConfig]>
