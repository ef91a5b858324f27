/**
 * What the engine reports of its activity (shared/contract.ts re-exports it): the simulated
 * devices and fleets, the telemetry of numeric attributes, the log, and command events. Types only.
 */
export interface SimulatedDeviceDto {
  apikey: string
  deviceId: string
  intervalSec: number
  switchedOn: boolean
  running: boolean
  measuresSent: number
  commandsReceived: number
}

export interface FleetDto {
  id: string
  apikey: string
  idPrefix: string
  count: number
  intervalSec: number
  measures: Record<string, [number, number]>
  replyLatencyMs: number
  lossPercent: number
  running: boolean
  measuresSent: number
  measuresDropped: number
  commandsReceived: number
}

export interface TelemetryPointDto {
  /** Milliseconds since the epoch (the measure's TimeInstant, else the time it was applied). */
  t: number
  v: number
}

export interface TelemetrySeriesDto {
  entityId: string
  entityType: string
  /** Numeric attributes → points, oldest first. */
  series: Record<string, TelemetryPointDto[]>
}

/** One change of a numeric attribute, as the telemetry stream carries it. */
export interface TelemetryUpdateDto {
  service: string
  servicePath: string
  entityId: string
  entityType: string
  attribute: string
  t: number
  v: number
}

export interface LogEntryDto {
  time: number
  level: string
  source: string
  code: string
  message: string
}

export interface CommandEventDto {
  service: string
  servicePath: string
  entityId: string
  entityType: string
  deviceId: string
  command: string
  status: 'PENDING' | 'OK' | 'ERROR'
  info?: unknown
  rttMs?: number
  time: number
  /** The command's trace (`trace.get`), when it was recorded. */
  traceId?: number
}
