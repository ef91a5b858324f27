import { watch, watchFile, unwatchFile, type FSWatcher, type Stats } from 'node:fs'
import { basename, dirname } from 'node:path'

/** Changes closer together than this are read once. */
const DEBOUNCE_MS = 150
/** The re-stat fallback (fs.watch misses changes on some file systems: network shares, some containers). */
const STAT_INTERVAL_MS = 2000

/**
 * Calls `changed` (debounced) whenever `file` may have changed: fs.watch on its folder, so that
 * an editor that replaces the file (write a copy, rename it over) is seen too, and a periodic
 * re-stat as a fallback. Returns a function that stops watching.
 */
export function watchConfigFile(file: string, changed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined
  const schedule = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      changed()
    }, DEBOUNCE_MS)
    timer.unref?.()
  }
  const name = basename(file)
  let watcher: FSWatcher | undefined
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, f) => {
      if (f === null || f === name) schedule()
    })
    // A folder that disappears or cannot be watched any more: the re-stat still runs.
    watcher.on('error', () => watcher?.close())
  } catch {
    watcher = undefined
  }
  const onStat = (cur: Stats, prev: Stats): void => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) schedule()
  }
  watchFile(file, { persistent: false, interval: STAT_INTERVAL_MS }, onStat)
  return () => {
    if (timer) clearTimeout(timer)
    watcher?.close()
    unwatchFile(file, onStat)
  }
}
