import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'
import icon from '../../resources/icon-256.png?asset'
import { isDevServer, rendererLocation } from './app-url'

/**
 * The app's single window. The page gets no Node.js, runs in Chromium's sandbox, is isolated from
 * the preload, and talks to main only through the bridge the preload exposes.
 */
export function createMainWindow(): BrowserWindow {
  const dev = isDevServer()
  const window = new BrowserWindow({
    title: app.getName(),
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: '#ffffff',
    // Windows and macOS take the icon from the executable; Linux needs it on the window.
    ...(process.platform === 'linux' ? { icon } : {}),
    webPreferences: {
      preload: join(import.meta.dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: dev
    }
  })
  window.once('ready-to-show', () => window.show())
  const loc = rendererLocation()
  void (loc.kind === 'dev' ? window.loadURL(loc.url) : window.loadFile(loc.path))
  return window
}
