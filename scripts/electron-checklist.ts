/**
 * The Electron security checklist, checked by a scanner: @doyensec/electronegativity's checks
 * (contextIsolation, sandbox, nodeIntegration, CSP, navigation and new-window limits, permission
 * handlers, openExternal, webSecurity…) over the desktop app's own code — electron/main,
 * electron/preload and the renderer's index.html, read as TypeScript/HTML sources. What the scan
 * covers, which finding fails it and every accepted exception (each with its reason) live in
 * electron-checklist.json at the project root.
 *
 * The scanner's parser, checks and global checks are driven directly rather than through its
 * command line, which on every run downloads translations and Electron's release list: `npm test`
 * runs offline. Run alone with `npx tsx scripts/electron-checklist.ts`; the test
 * test/unit/security/electron-checklist.test.ts runs it within `npm test`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'

export const CHECKLIST_CONFIG = 'electron-checklist.json'

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const
export type Severity = (typeof SEVERITIES)[number]

export interface ChecklistException {
  /** The finding's id as the scanner reports it, e.g. OPEN_EXTERNAL_JS_CHECK. */
  id: string
  /** The file it is reported in, relative to the project root, with `/` between folders. */
  file: string
  reason: string
}

export interface ChecklistConfig {
  /** Files and folders to scan, relative to the project root (folders: .ts, .js, .html inside). */
  scan: string[]
  /** Findings of this severity or higher fail the checklist. */
  failAt: Severity
  /**
   * Findings whose severity the scanner rates lower than this checklist does, raised (never
   * lowered), each with a reason.
   */
  raise: Array<{ id: string; to: Severity; reason: string }>
  /** Checks not run at all (by their class name), each with a reason. */
  skipChecks: Array<{ check: string; reason: string }>
  exceptions: ChecklistException[]
}

export interface Finding {
  id: string
  /** Relative to the project root with `/`; 'N/A' for a global check that found something missing. */
  file: string
  line: number
  severity: Severity
  confidence: string
  manualReview: boolean
  description: string
}

export interface ChecklistResult {
  /** Every finding the scanner reported. */
  findings: Finding[]
  /** Findings at or above failAt with no exception: the checklist passes when this is empty. */
  failures: Finding[]
  /** Files the scanner could not parse (a file it cannot read is a file it did not check). */
  parseErrors: Array<{ file: string; message: string }>
  /** Exceptions that match no finding any more: stale, to be removed. */
  unusedExceptions: ChecklistException[]
}

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v)
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${CHECKLIST_CONFIG}: ${where} must be a non-empty string`)
  return v
}

/** Reads and checks the config file: every exception and skipped check must say why. */
export function loadChecklistConfig(path: string): ChecklistConfig {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  if (!Array.isArray(raw.scan) || raw.scan.length === 0) throw new Error(`${CHECKLIST_CONFIG}: scan must list files or folders`)
  if (!isSeverity(raw.failAt)) throw new Error(`${CHECKLIST_CONFIG}: failAt must be one of ${SEVERITIES.join(', ')}`)
  const list = (v: unknown, name: string): Array<Record<string, unknown>> => {
    if (v === undefined) return []
    if (!Array.isArray(v)) throw new Error(`${CHECKLIST_CONFIG}: ${name} must be a list`)
    return v as Array<Record<string, unknown>>
  }
  return {
    scan: raw.scan.map((s, i) => text(s, `scan[${i}]`)),
    failAt: raw.failAt,
    raise: list(raw.raise, 'raise').map((r, i) => {
      if (!isSeverity(r.to)) throw new Error(`${CHECKLIST_CONFIG}: raise[${i}].to must be one of ${SEVERITIES.join(', ')}`)
      return { id: text(r.id, `raise[${i}].id`), to: r.to, reason: text(r.reason, `raise[${i}].reason`) }
    }),
    skipChecks: list(raw.skipChecks, 'skipChecks').map((s, i) => ({ check: text(s.check, `skipChecks[${i}].check`), reason: text(s.reason, `skipChecks[${i}].reason`) })),
    exceptions: list(raw.exceptions, 'exceptions').map((e, i) => ({
      id: text(e.id, `exceptions[${i}].id`),
      file: text(e.file, `exceptions[${i}].file`),
      reason: text(e.reason, `exceptions[${i}].reason`)
    }))
  }
}

// The scanner's own modules (CommonJS, untyped): only what is used here is described.
interface ScannerIssue {
  id: string
  file: string
  location: { line: number }
  severity: { name: string }
  confidence: { name: string }
  manualReview?: boolean
  description?: string
  visibility?: { inlineDisabled?: boolean; globalCheckDisabled?: boolean }
}
interface ScannerModules {
  Parser: new (babelFirst: boolean, typescriptBabelFirst: boolean) => { parse(file: string, content: Buffer): [unknown, unknown, unknown, Array<{ message: string }> | undefined] }
  Finder: new (custom: string[], exclude: string[], upgrade: undefined) => {
    _enabled_checks: unknown[]
    find(file: string, data: unknown, type: unknown, content: unknown, only: null, electronVersion: string): Promise<ScannerIssue[]>
  }
  GlobalChecks: new (custom: string[], exclude: string[], upgrade: undefined) => { getResults(issues: ScannerIssue[], output: undefined): Promise<ScannerIssue[]> }
}

let scanner: ScannerModules | undefined

/** Loads the scanner, with its messages (its checks look them up in a global `__`) from the copy it ships. */
function loadScanner(): ScannerModules {
  if (scanner) return scanner
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('@doyensec/electronegativity/package.json')
  const dist = join(dirname(pkg), 'dist')
  const fromScanner = createRequire(pkg)
  const i18n = fromScanner('i18n') as { configure(o: object): void; setLocale(l: string): void }
  i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: join(dist, 'locales'), updateFiles: false, objectNotation: true, register: globalThis })
  i18n.setLocale('en-US')
  const { Parser } = fromScanner(join(dist, 'parser')) as Pick<ScannerModules, 'Parser'>
  const { Finder, GlobalChecks } = fromScanner(join(dist, 'finder')) as Pick<ScannerModules, 'Finder' | 'GlobalChecks'>
  scanner = { Parser, Finder, GlobalChecks }
  return scanner
}

/** A path relative to the project root, written the same on every system. */
function projectPath(root: string, file: string): string {
  return relative(root, resolve(root, file)).split(sep).join('/')
}

const SCANNED = /\.(?:ts|js|cjs|mjs|html)$/

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path)
    .filter((n) => n !== 'node_modules')
    .flatMap((n) => {
      const p = join(path, n)
      return statSync(p).isDirectory() ? filesUnder(p) : SCANNED.test(n) && !n.endsWith('.d.ts') ? [p] : []
    })
    .sort()
}

/** The Electron version the app is built with (the installed one), which decides the defaults the checks assume. */
function electronVersion(): string {
  const require = createRequire(import.meta.url)
  return (require('electron/package.json') as { version: string }).version
}

/** Scans what the config lists, from the project root `root`, and sorts the findings against the config. */
export async function runChecklist(root: string, config: ChecklistConfig): Promise<ChecklistResult> {
  const { Parser, Finder, GlobalChecks } = loadScanner()
  const skipped = config.skipChecks.map((s) => s.check.toLowerCase())
  const parser = new Parser(false, true)
  const globalChecks = new GlobalChecks([], skipped.filter((s) => s.includes('globalcheck')), undefined)
  const finder = new Finder([], skipped.filter((s) => !s.includes('globalcheck')), undefined)
  const version = electronVersion()
  const parseErrors: ChecklistResult['parseErrors'] = []
  let issues: ScannerIssue[] = []
  for (const file of config.scan.flatMap((s) => filesUnder(resolve(root, s)))) {
    const name = projectPath(root, file)
    try {
      const [type, data, content, warnings] = parser.parse(file, readFileSync(file))
      for (const w of warnings ?? []) parseErrors.push({ file: name, message: w.message })
      if (data === null) continue
      issues.push(...(await finder.find(file, data, type, content, null, version)))
    } catch (err) {
      parseErrors.push({ file: name, message: (err as Error).message })
    }
  }
  issues = (await globalChecks.getResults(issues, undefined)).filter((i) => !i.visibility?.inlineDisabled && !i.visibility?.globalCheckDisabled)

  const rated = (id: string, name: string): Severity => {
    // A severity this module does not know is treated as the highest.
    const scanner = isSeverity(name) ? name : 'HIGH'
    const raised = config.raise.find((r) => r.id === id)?.to
    return raised && SEVERITIES.indexOf(raised) > SEVERITIES.indexOf(scanner) ? raised : scanner
  }
  const findings: Finding[] = issues.map((i) => ({
    id: i.id,
    file: i.file === 'N/A' ? 'N/A' : projectPath(root, i.file),
    line: i.location.line,
    severity: rated(i.id, i.severity.name),
    confidence: i.confidence.name,
    manualReview: i.manualReview === true,
    description: i.description ?? ''
  }))
  const failAt = SEVERITIES.indexOf(config.failAt)
  const used = new Set<ChecklistException>()
  const failures = findings.filter((f) => {
    if (SEVERITIES.indexOf(f.severity) < failAt) return false
    const exception = config.exceptions.find((e) => e.id === f.id && e.file === f.file)
    if (exception) used.add(exception)
    return !exception
  })
  return { findings, failures, parseErrors, unusedExceptions: config.exceptions.filter((e) => !used.has(e)) }
}

function describe(f: Finding): string {
  return `${f.severity} ${f.id} ${f.file}:${f.line}${f.manualReview ? ' (review)' : ''}: ${f.description}`
}

/** One line per problem; empty when the checklist passes. */
export function checklistProblems(result: ChecklistResult): string[] {
  return [
    ...result.failures.map((f) => `finding: ${describe(f)}`),
    ...result.parseErrors.map((e) => `not scanned: ${e.file}: ${e.message}`),
    ...result.unusedExceptions.map((e) => `stale exception in ${CHECKLIST_CONFIG}: ${e.id} in ${e.file} matches no finding`)
  ]
}

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '..')
  const result = await runChecklist(root, loadChecklistConfig(join(root, CHECKLIST_CONFIG)))
  const problems = checklistProblems(result)
  for (const f of result.findings) process.stdout.write(`${describe(f)}\n`)
  for (const p of problems) process.stderr.write(`${p}\n`)
  process.stdout.write(problems.length ? `Electron checklist: ${problems.length} problem(s)\n` : 'Electron checklist: no finding that fails it\n')
  process.exitCode = problems.length ? 1 : 0
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main()
