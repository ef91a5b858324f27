import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Default data directory of `serve` mode: the per-user application data folder of the platform
 * (the desktop app uses Electron's userData folder instead).
 */
export function defaultDataDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ULCC_DATA_DIR) return env.ULCC_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'UltraLight Control Center', 'serve')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'UltraLight Control Center', 'serve')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'ultralight-control-center')
}
