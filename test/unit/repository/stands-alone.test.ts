import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The repository stands alone: nothing under electron/, renderer/, shared/, test/ or scripts/
 * needs, reads or cites what lies beside it (the reference material in a `shared` folder next to
 * the repository). Code comments cite the project's own docs/compatibility/*.md. The one exception
 * is the replay of the tutorials' Postman collection, which reads the collection when it is there.
 * (The project's own shared/, e.g. `../../shared/contract`, is inside the repository and fine.)
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
const DIRS = ['electron', 'renderer', 'shared', 'test', 'scripts']
const SELF = relative(ROOT, import.meta.filename).split(sep).join('/')
/** The collection replay and its helper: the only files that may name the collection's place. */
const ALLOWED = new Set(['test/integration/postman-collection.test.ts', 'test/helpers/postman-collection-run.ts', SELF])

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|vue|json|html|css|md|py|sh)$/

/** What no file may say, with the reason shown on failure. */
const TEXT_RULES: Array<[RegExp, string]> = [
  [/\bspec\s*§/i, 'cites the reference spec by section: cite docs/compatibility/<file>.md §… instead'],
  [/\bspec[ /](iot-agent-ul|ngsi-v2)\.md/i, 'cites the reference spec: cite docs/compatibility/<file>.md instead'],
  [/\bDESIGN(\.md)?\s*§|\bDESIGN\.md\b/, 'cites a design document that is not part of the repository'],
  [/shared\/(spec|research|fiware-tutorials)\b/, 'names the reference material beside the repository'],
  [/\bfiware-tutorials\//, 'names the folder of the tutorial collection beside the repository'],
  [/\/work\/shared\b/, 'names an absolute path outside the repository']
]

/**
 * Relative paths into a `shared` folder (`../…/shared/…`) in the line that, resolved from the
 * file's folder, leave the repository (the folder beside it rather than the repository's shared/).
 */
function pathsLeavingRepo(file: string, line: string): string[] {
  const out: string[] = []
  for (const m of line.matchAll(/(?<![\w/.])(?:\.\.\/)+shared(?:\/[\w .@-]+)*/g)) {
    const target = resolve(dirname(join(ROOT, file)), m[0])
    const rel = relative(ROOT, target)
    if (rel.startsWith('..')) out.push(m[0])
  }
  // path.join / resolve with separate segments: '..', '..' and then 'shared'
  const segments = /(?:['"]\.\.['"]\s*,\s*)+['"]shared['"]/.exec(line)
  if (segments) {
    const ups = (segments[0].match(/\.\./g) ?? []).length
    const depth = file.split('/').length - 1
    if (ups > depth) out.push(segments[0])
  }
  return out
}

function files(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue
    const rel = `${dir}/${e.name}`
    if (e.isDirectory()) out.push(...files(rel))
    else if (SOURCE.test(e.name)) out.push(rel)
  }
  return out
}

export function offences(file: string, text: string): string[] {
  const out: string[] = []
  text.split('\n').forEach((line, i) => {
    for (const [re, why] of TEXT_RULES) if (re.test(line)) out.push(`${file}:${i + 1}: ${why}: ${line.trim()}`)
    for (const p of pathsLeavingRepo(file, line)) out.push(`${file}:${i + 1}: "${p}" leaves the repository: ${line.trim()}`)
  })
  return out
}

describe('the repository stands alone', () => {
  it('no file outside the collection replay refers to the reference material beside the repository', () => {
    const all = DIRS.flatMap((d) => {
      try {
        return files(d)
      } catch {
        return []
      }
    })
    expect(all.length).toBeGreaterThan(100)
    const found = all.filter((f) => !ALLOWED.has(f)).flatMap((f) => offences(f, readFileSync(join(ROOT, f), 'utf8')))
    expect(found, `files that refer to what lies outside the repository:\n${found.join('\n')}\n`).toEqual([])
  })

  it('flags what it should and leaves the repository’s own shared/ alone', () => {
    // The samples are assembled, so that this file does not refer to the folder beside the repo.
    const beside = (rest: string): string => `../../../${'shared'}/${rest}`
    const segments = (rest: string): string => `join(import.meta.dirname, '..', '..', ${"'shared'"}, '${rest}')`
    expect(offences('test/helpers/x.ts', "import type { A } from '../../shared/contract'")).toEqual([])
    expect(offences('electron/engine/api/x.ts', "import type { A } from '../../../shared/contract'")).toEqual([])
    expect(offences('test/helpers/x.ts', `new URL('${beside('fiware-tutorials/c.json')}', import.meta.url)`).some((o) => o.includes('leaves the repository'))).toBe(true)
    expect(offences('test/integration/x.ts', "const url = '/../../../../etc/passwd'")).toEqual([])
    expect(offences('test/helpers/x.ts', "readFileSync('../../../shared/notes.md')")).toHaveLength(1)
    expect(offences('test/x.ts', segments('notes.md'))).toHaveLength(1)
    expect(offences('test/unit/x.ts', segments('contract.ts'))).toEqual([])
    // Written in pieces, so that the examples are not citations themselves.
    const spec = (s: string): string => `sp${'ec'}${s}`
    expect(offences('electron/x.ts', `/** See ${spec(' §2.1')}. */`)).toHaveLength(1)
    expect(offences('electron/x.ts', `// S${spec(' §3.4').slice(1)} step 4`)).toHaveLength(1)
    expect(offences('electron/x.ts', ` * (API field names, ${spec(' iot-agent-ul.md')}`)).toHaveLength(1)
    expect(offences('electron/x.ts', ` * See ${spec('/ngsi-v2.md §6.3')}.`)).toHaveLength(1)
    expect(offences('electron/x.ts', '/** See docs/compatibility/iot-agent-ul.md §2.1. */')).toEqual([])
  })
})
