/**
 * Electron main process: one window, the engine, and the IPC between them. The FIWARE stack
 * itself is the engine's (electron/engine); this file only starts and stops it.
 */
import { join, resolve } from 'node:path'
import { app, BrowserWindow, dialog } from 'electron'
import { ConfigError, loadConfig, parseCli } from '../engine/config/load'
import { boundHeapGrowth } from '../engine/heap-growth'
import { EngineHost } from '../engine/host'
import { isDevServer } from './app-url'
import { engineArgs } from './cli-args'
import { stopEngineBeforeQuit } from './engine-lifecycle'
import { wireIpc, type DesktopApi } from './ipc'
import { installMenu } from './menu'
import { applySecurityPolicies } from './security'
import { createMainWindow } from './window'

type Flags = ReturnType<typeof parseCli>['values']

let mainWindow: BrowserWindow | undefined

function openWindow(api: DesktopApi): void {
  const window = createMainWindow()
  const unwire = wireIpc(window, api)
  window.on('closed', () => {
    unwire()
    if (mainWindow === window) mainWindow = undefined
  })
  mainWindow = window
}

function focusWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

/** Names the problem in a dialog, then leaves without waiting for anything. */
function failToStart(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err)
  let detail = err instanceof ConfigError ? `Configuration error: ${message}` : message
  if (/\bport\b/.test(message)) {
    detail +=
      `\n\nIf another program uses this port, close it, or choose other ports in ` +
      `${resolve(app.getPath('userData'), 'settings.json')} or with flags such as --ngsi-port, --north-port, --mqtt-port.`
  }
  console.error(`cannot start: ${message}`)
  dialog.showErrorBox(`${app.getName()} cannot start`, detail)
  app.exit(1)
}

async function start(flags: Flags): Promise<void> {
  applySecurityPolicies()
  installMenu({ dev: isDevServer(), window: () => mainWindow })
  const dataDir = app.getPath('userData')
  boundHeapGrowth()
  let host: EngineHost
  try {
    const loaded = loadConfig({ dataDir, env: process.env, flags })
    for (const w of loaded.warnings) console.warn(`warning: ${w}`)
    // The engine can be restarted from the GUI (engine.restart): the host reads the settings again.
    host = await EngineHost.start(
      {
        load: () => loadConfig({ dataDir, env: process.env, flags }),
        settings: { env: process.env, flags },
        // The lesson files ship next to the app (electron-builder.yml must list resources/lessons).
        engineOptions: { lessonsDirs: [join(app.getAppPath(), 'resources', 'lessons')] },
        onStarted: (engine) => {
          for (const line of engine.describeEndpoints()) console.log(line)
        }
      },
      loaded
    )
  } catch (err) {
    return failToStart(err)
  }
  stopEngineBeforeQuit(host)

  const api: DesktopApi = host.api
  openWindow(api)
  app.on('second-instance', () => (mainWindow ? focusWindow() : openWindow(api)))
  // macOS keeps the app (and so the engine) running without windows; the Dock icon reopens one.
  app.on('activate', () => {
    if (!mainWindow) openWindow(api)
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

function main(): void {
  // Only the engine's own flags count (see cli-args.ts); a bad one is reported once the app can show a dialog.
  let flags: Flags = {}
  let flagError: unknown
  try {
    flags = parseCli(engineArgs(process.argv.slice(1))).values
  } catch (err) {
    flagError = err
  }
  // --data-dir moves everything of this instance there (engine data, Chromium profile, the
  // single-instance lock), so that a second, separate instance can run beside the first.
  if (typeof flags['data-dir'] === 'string') app.setPath('userData', resolve(flags['data-dir']))

  if (!app.requestSingleInstanceLock()) {
    // The first instance gets 'second-instance' and brings its window forward.
    app.quit()
    return
  }
  app
    .whenReady()
    .then(() => (flagError ? failToStart(flagError) : start(flags)))
    .catch(failToStart)
}

main()
