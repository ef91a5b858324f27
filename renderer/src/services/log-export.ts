/**
 * The inspector's log as a file: JSON (an array of records) or CSV (RFC 4180). Pure builders: the
 * view hands them the rows it shows and downloads the text with files.ts.
 *
 * Payloads are exported as the engine delivers them to the GUI: UTF-8 text of the kept bytes
 * (InspectorMessageDto.payload). Bytes that were not valid UTF-8 are already U+FFFD there, so
 * `payloadLossy` marks such payloads rather than pretending to carry the original bytes, and
 * `truncated` marks payloads the engine kept only in part.
 */
import type { InspectorMessageDto } from '../../../shared/contract'
import { verdictOf } from './message-origin'

export interface ExportedMessage {
  /** ISO 8601, UTC. */
  time: string
  topic: string
  payload: string
  /** Bytes of the whole payload. */
  size: number
  truncated: boolean
  /** The payload was not valid UTF-8 text: `payload` shows U+FFFD where bytes could not be read. */
  payloadLossy: boolean
  qos: 0 | 1 | 2
  retain: boolean
  origin: InspectorMessageDto['origin']
  source: string
  hop: string
  clientId: string
  verdict: string
  deviceId: string
  error: string
}

const REPLACEMENT = '\uFFFD'

export function exportRecord(m: InspectorMessageDto): ExportedMessage {
  return {
    time: new Date(m.time).toISOString(),
    topic: m.topic,
    payload: m.payload,
    size: m.size,
    truncated: m.truncated,
    payloadLossy: m.payload.includes(REPLACEMENT),
    qos: m.qos,
    retain: m.retain,
    origin: m.origin,
    source: m.source ?? '',
    hop: m.hop ?? '',
    clientId: m.clientId ?? '',
    verdict: verdictOf(m),
    deviceId: m.agent?.deviceId ?? '',
    error: m.agent?.error ?? ''
  }
}

export function logToJson(rows: readonly InspectorMessageDto[]): string {
  return `${JSON.stringify(rows.map(exportRecord), null, 2)}\n`
}

const COLUMNS: ReadonlyArray<keyof ExportedMessage> = ['time', 'topic', 'payload', 'size', 'truncated', 'payloadLossy', 'qos', 'retain', 'origin', 'source', 'hop', 'clientId', 'verdict', 'deviceId', 'error']

/**
 * One CSV field. RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes
 * doubled. Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell starting with
 * `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula, so such a cell gets
 * a leading single quote, which spreadsheets show as text. A payload like `-5` therefore reads
 * `'-5` in the file: the JSON export keeps every value as it is.
 */
export function csvField(value: string | number | boolean): string {
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A header row, then one row per message; lines end with CRLF (RFC 4180 §2). */
export function logToCsv(rows: readonly InspectorMessageDto[]): string {
  const lines = [COLUMNS.join(',')]
  for (const m of rows) {
    const r = exportRecord(m)
    lines.push(COLUMNS.map((c) => csvField(r[c])).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}

/** `inspector-2026-12-07T15-40-00.csv`: a name without characters file systems refuse. */
export function exportFileName(ext: 'json' | 'csv', now = new Date()): string {
  return `inspector-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.${ext}`
}
