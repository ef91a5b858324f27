/**
 * The tutorials' HTTP dummy devices built into the engine (docs/compatibility/tutorial-services.md §4),
 * as the GUI lists them (`simulator.httpDevices`).
 */

/** The last POST of a built-in HTTP device to the agents' south port. */
export interface HttpDevicePostDto {
  /** When it was sent (ms since the epoch). */
  at: number
  url: string
  body: string
  /** The south port's HTTP status; absent when the request failed. */
  status?: number
  /** Why the POST failed: connection error, timeout, a 4xx/5xx answer, or no provisioned device. */
  error?: string
}

/** One built-in HTTP device: a path (`/dht22`) of a tenant, as commanded through an agent. */
export interface HttpDeviceDto {
  service: string
  servicePath: string
  path: string
  /** The agent whose commands it answered: UltraLight or JSON. */
  protocol: 'ul' | 'json'
  /** The device id an UltraLight command named; absent for a JSON device (every device with this endpoint). */
  deviceId?: string
  running: boolean
  intervalSec: number
  commandsReceived: number
  /** POSTs started towards the south port (a stopped device adds none). */
  postsSent: number
  /** POSTs answered 2xx. */
  postsOk: number
  /** POSTs that failed (connection, timeout, non-2xx) and ticks with no provisioned device to post for. */
  postsFailed: number
  lastPost?: HttpDevicePostDto
}
