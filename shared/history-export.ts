/**
 * Reading every point of a range through `history.series`, which thins a range past its
 * `maxPoints` (shared/history.ts): the GUI's CSV export. Pure; the reader is the request.
 */
import type { HistoryPointDto } from './history'

/** Reads points of a time range (both bounds included): total in the range, and the points unless there are more than `max`. */
export type RangeReader = (from: number, to: number, max: number) => Promise<{ total: number; points: HistoryPointDto[]; thinned: boolean }>

/**
 * Every point of [from, to], unthinned: a range with more points than one answer may carry is cut
 * in two halves, each read again, until each part fits.
 */
export async function readAllPoints(read: RangeReader, from: number, to: number, max: number): Promise<HistoryPointDto[]> {
  const got = await read(from, to, max)
  if (!got.thinned) return got.points
  if (to <= from) throw new Error(`more than ${max} points at one instant`)
  const mid = Math.floor((from + to) / 2)
  return [...(await readAllPoints(read, from, mid, max)), ...(await readAllPoints(read, mid + 1, to, max))]
}
