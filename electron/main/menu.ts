import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'

function showAbout(window: BrowserWindow | undefined): void {
  const options = {
    type: 'info' as const,
    title: `About ${app.getName()}`,
    message: `${app.getName()} ${app.getVersion()}`,
    detail:
      'The FIWARE "IoT Agent UltraLight 2.0 over MQTT" tutorial stack in one offline app: ' +
      'MQTT broker, IoT Agent, NGSI-v2 context broker and devices.\n\n' +
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node.js ${process.versions.node}`,
    buttons: ['OK']
  }
  void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
}

/**
 * The application menu: File › Quit, View (reload and developer tools only when running from the
 * dev server), Help › About. The Edit menu is there because on macOS copy and paste shortcuts
 * only reach text fields through it.
 */
export function installMenu(opts: { dev: boolean; window: () => BrowserWindow | undefined }): void {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: '&File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    ...(opts.dev
      ? [{ label: '&View', submenu: [{ role: 'reload' as const }, { role: 'forceReload' as const }, { role: 'toggleDevTools' as const }] }]
      : []),
    { label: '&Help', role: 'help', submenu: [{ label: `About ${app.getName()}`, click: () => showAbout(opts.window()) }] }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
