import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow over its live size before the next full collection:
 * 25 %. Under a stream of measures every entity's new attribute values live about a second (until
 * the next measure replaces them), long enough to be promoted to the old generation, where they
 * become garbage. With V8's default growth (up to four times the live size) an engine with 10,000
 * connected devices at one measure per second each reached 700–990 MB, nearly all of it garbage
 * (the live heap was 120 MB); with 25 % it stays near 340 MB, for more frequent, mostly concurrent,
 * collections (README, "Benchmarks").
 *
 * Called once by each entry point (serve, the Electron main process) before the engine starts.
 * `ULCC_HEAP_GROWING_PERCENT` sets another percentage; 0 leaves V8's default.
 */
export const HEAP_GROWING_PERCENT = 25

export function boundHeapGrowth(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ULCC_HEAP_GROWING_PERCENT
  const percent = raw !== undefined && /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : HEAP_GROWING_PERCENT
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
  return percent
}
