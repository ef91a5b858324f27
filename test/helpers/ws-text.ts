import type { RawData } from 'ws'

/** The text of a WebSocket message as `ws` hands it over: one buffer, fragments, or an ArrayBuffer. */
export function wsText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8')
}
