import { stat } from 'node:fs/promises'

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
