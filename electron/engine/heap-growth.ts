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

/** V8's default: each growth of the young generation doubles it (up to its maximum). */
const SEMI_SPACE_GROWTH_FACTOR = 2

/**
 * Keeps the young generation at its initial size while the process starts, and lets it grow as
 * usual again once the returned function is called (when the engine is ready). Starting allocates
 * a lot of short-lived objects (loading and compiling the code, opening the data files); left to
 * itself V8 grows the young generation for them to its maximum and keeps it while idle: about 12
 * MB of an idle `serve` (README, "Benchmarks"). Traffic after the start grows it again when needed.
 */
export function holdYoungGeneration(): () => void {
  setFlagsFromString('--semi-space-growth-factor=1')
  return () => setFlagsFromString(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`)
}
