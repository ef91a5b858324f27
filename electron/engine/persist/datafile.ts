import { open, stat, writeFile } from 'node:fs/promises'

/**
 * Checks a NeDB datafile path before NeDB opens it. NeDB reports a path that is a folder (or a
 * device, a socket…) as an unhandled stream error that ends the process; here it is an ordinary
 * error of the start, naming the file. A missing file is fine: NeDB creates it.
 */
export async function checkDatafile(filename: string): Promise<void> {
  let kind: string | undefined
  try {
    const st = await stat(filename)
    if (!st.isFile()) kind = st.isDirectory() ? 'a folder' : 'not a regular file'
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new Error(`cannot open the data file ${filename}: ${(err as Error).message}`, { cause: err })
  }
  if (kind) throw new Error(`cannot open the data file ${filename}: it is ${kind}; move it away or choose another data folder`)
}

/**
 * Options for opening a NeDB datafile: no line may be unreadable. NeDB's default tolerates up to
 * 10 % of damaged lines and drops them for good at the compaction that follows the load, which
 * would lose acknowledged records without a word; here a damaged file stops the start instead.
 */
export const STRICT_DATAFILE = { corruptAlertThreshold: 0 } as const

/** How far back from the end a torn last line is looked for (a record is at most a few MB). */
const MAX_TAIL = 64 * 1024 * 1024

/**
 * A crash or a power cut in the middle of an append leaves a last line without its newline and
 * not valid JSON. Records are acknowledged only once written and flushed whole, so that line was
 * never acknowledged: it is moved to `<file>.torn-<time>` (kept, never thrown away) and cut from
 * the file, and the start goes on. Returns what was done, for the log; undefined when the end of
 * the file is whole. Damage anywhere else is left to `loadDatafile`, which refuses to start.
 */
export async function setAsideTornTail(filename: string): Promise<string | undefined> {
  let fh
  try {
    fh = await open(filename, 'r+')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    const { size } = await fh.stat()
    if (size === 0) return undefined
    const last = Buffer.alloc(1)
    await fh.read(last, 0, 1, size - 1)
    if (last[0] === 0x0a) return undefined
    const from = Math.max(0, size - MAX_TAIL)
    const tail = Buffer.alloc(size - from)
    await fh.read(tail, 0, tail.length, from)
    const nl = tail.lastIndexOf(0x0a)
    if (nl < 0 && from > 0) return undefined
    const torn = tail.subarray(nl + 1)
    try {
      JSON.parse(torn.toString('utf8'))
      // A whole record that only lacks its newline: NeDB reads it as it is.
      return undefined
    } catch {
      // Cut short: set aside below.
    }
    const aside = `${filename}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}`
    await writeFile(aside, torn, { mode: 0o600 })
    await fh.truncate(from + nl + 1)
    await fh.sync()
    return `the last line of ${filename} was cut short (${torn.length} bytes, never acknowledged), probably by a crash or a power cut: it was moved to ${aside} and the rest of the file loaded`
  } finally {
    await fh.close()
  }
}

/**
 * Loads a NeDB datastore; a damaged file is an error naming the file and what to do, with the file
 * left unchanged. A torn last line is set aside first (setAsideTornTail); returns that notice.
 */
export async function loadDatafile(db: { load(): Promise<void> }, filename: string): Promise<string | undefined> {
  const notice = await setAsideTornTail(filename)
  try {
    await db.load()
    return notice
  } catch (err) {
    const e = err as Error & { corruptItems?: number; dataLength?: number }
    if (e.corruptItems === undefined) throw err
    throw corruptDatafileError(filename, e.corruptItems, e.dataLength, err)
  }
}

/** The error of a data file with lines that cannot be read: which file, how many lines, what to do. */
export function corruptDatafileError(filename: string, corrupt: number, lines: number | undefined, cause?: unknown): Error {
  return new Error(
    `the data file ${filename} is corrupt: ${corrupt} of its ${lines ?? '?'} lines cannot be read, so the engine did not start and left it unchanged. ` +
      'Each line is one JSON record: repair or delete the damaged lines, or move the file away to start without its records (keep a copy), then start again',
    cause === undefined ? undefined : { cause }
  )
}
