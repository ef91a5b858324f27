import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CHECKLIST_CONFIG, checklistProblems, loadChecklistConfig, runChecklist, type ChecklistConfig } from '../../../scripts/electron-checklist'
import { tempDir } from '../../helpers/temp-dir'

const ROOT = resolve(import.meta.dirname, '../../..')

/** A main process as it should not be: Node.js in the page, no sandbox, no navigation or permission handlers. */
const INSECURE_MAIN = `import { app, BrowserWindow } from 'electron'

app.whenReady().then(() => {
  const window = new BrowserWindow({ width: 800, height: 600, webPreferences: { nodeIntegration: true } })
  void window.loadURL('https://example.com/')
})
`

describe('Electron security checklist (electronegativity)', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it(`finds nothing of medium severity or higher in the app, apart from the exceptions of ${CHECKLIST_CONFIG}`, async () => {
    const config = loadChecklistConfig(join(ROOT, CHECKLIST_CONFIG))
    const result = await runChecklist(ROOT, config)
    expect(checklistProblems(result)).toEqual([])
    // The scan did read the app: the preload script is where its window says it is.
    expect(result.findings.some((f) => f.id === 'PRELOAD_JS_CHECK' && f.file === 'electron/main/window.ts')).toBe(true)
  }, 60_000)

  it('fails on a window with nodeIntegration: true, and on an exception that matches nothing', async () => {
    const dir = tempDir('ulcc-checklist-')
    dirs.push(dir)
    mkdirSync(join(dir.path, 'main'))
    writeFileSync(join(dir.path, 'main', 'index.ts'), INSECURE_MAIN)
    // The project's own rules (raised severities, skipped checks), over the insecure window.
    const config: ChecklistConfig = {
      ...loadChecklistConfig(join(ROOT, CHECKLIST_CONFIG)),
      scan: ['main'],
      exceptions: [{ id: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/index.ts', reason: 'no such call here' }]
    }
    const result = await runChecklist(dir.path, config)
    expect(result.parseErrors).toEqual([])
    expect(result.failures.find((f) => f.id === 'NODE_INTEGRATION_JS_CHECK')).toMatchObject({ file: 'main/index.ts', line: 4, severity: 'HIGH' })
    const failed = result.failures.map((f) => f.id)
    expect(failed).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']))
    expect(result.unusedExceptions).toEqual(config.exceptions)
    expect(checklistProblems(result)).toHaveLength(result.failures.length + 1)
  }, 60_000)

  it('an exception silences exactly its finding', async () => {
    const dir = tempDir('ulcc-checklist-')
    dirs.push(dir)
    writeFileSync(join(dir.path, 'index.ts'), INSECURE_MAIN)
    const base: ChecklistConfig = { ...loadChecklistConfig(join(ROOT, CHECKLIST_CONFIG)), scan: ['index.ts'], exceptions: [] }
    const before = await runChecklist(dir.path, base)
    const after = await runChecklist(dir.path, { ...base, exceptions: [{ id: 'NODE_INTEGRATION_JS_CHECK', file: 'index.ts', reason: 'test' }] })
    expect(before.failures.map((f) => f.id)).toContain('NODE_INTEGRATION_JS_CHECK')
    expect(after.failures.map((f) => f.id)).not.toContain('NODE_INTEGRATION_JS_CHECK')
    expect(after.failures).toEqual(before.failures.filter((f) => f.id !== 'NODE_INTEGRATION_JS_CHECK'))
    expect(after.unusedExceptions).toEqual([])
  }, 60_000)

  it('refuses a config whose exception gives no reason', () => {
    const dir = tempDir('ulcc-checklist-')
    dirs.push(dir)
    const path = join(dir.path, CHECKLIST_CONFIG)
    writeFileSync(path, JSON.stringify({ scan: ['main'], failAt: 'MEDIUM', exceptions: [{ id: 'PRELOAD_JS_CHECK', file: 'main/window.ts' }] }))
    expect(() => loadChecklistConfig(path)).toThrow(/exceptions\[0\]\.reason/)
  })
})
