import { app } from 'electron'

/**
 * Quitting waits for the engine to stop, because stopping is what writes pending entity changes
 * to disk. The first quit request is held back until then; further requests while it runs are
 * ignored; the last app.quit() goes through.
 */
export function stopEngineBeforeQuit(engine: { stop(): Promise<void> }): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running'
  app.on('before-quit', (event) => {
    if (state === 'stopped') return
    event.preventDefault()
    if (state === 'stopping') return
    state = 'stopping'
    engine
      .stop()
      .catch((err: Error) => console.error(`engine stopped with errors: ${err.message}`))
      .finally(() => {
        state = 'stopped'
        app.quit()
      })
  })
  // Ctrl+C in the terminal that ran `npm start`, or a service manager: quit the same way.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
}
