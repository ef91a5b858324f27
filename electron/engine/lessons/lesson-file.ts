/**
 * Reads one lesson file (YAML, docs/lessons.md) and validates it against the lesson schema
 * (shared/lessons.ts). A bad file gives errors that name the file and the field; it never throws.
 */
import { Compile } from 'typebox/compile'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { CheckSchema, HintWhenSchema, LessonSchema, type Lesson } from '../../../shared/lessons'
import { preparsedLesson } from './preparsed'

const validator = Compile(LessonSchema)

/** A check is one of several shapes told apart by `kind`: validated against that kind's shape alone, its errors say what that kind needs. */
const checkValidators = new Map(
  CheckSchema.anyOf.map((member) => [(member.properties.kind as unknown as { const: string }).const, Compile(member)] as const)
)
const CHECK_KINDS = [...checkValidators.keys()]
const whenValidator = Compile(HintWhenSchema)
const WHEN_KEYS = HintWhenSchema.anyOf.flatMap((m) => Object.keys(m.properties))

/** Aliases are limited so that a small file cannot expand into a huge document. Also the key of scripts/serve-build.mjs's preparsed lessons. */
export const LESSON_YAML_OPTIONS = { maxAliasCount: 50, prettyErrors: true } as const

/** Lesson files are small: a bigger one is refused before it is parsed. */
export const MAX_LESSON_BYTES = 512 * 1024

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; errors: string[] }

/** `/steps/2/check/kind` → `steps[2].check.kind`, as the file's author reads it. */
export function fieldName(pointer: string): string {
  if (!pointer) return '(the whole file)'
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '')
}

type SchemaError = { instancePath: string; keyword: string; message: string; params: unknown }

/** The errors of the steps' checks and hints' conditions, each judged by the shape it claims to be (its `kind`, its key). */
function unionErrors(data: unknown): { errors: SchemaError[]; handled: (path: string) => boolean } {
  const errors: SchemaError[] = []
  const prefixes: string[] = []
  const steps = (data as { steps?: unknown } | null)?.steps
  if (Array.isArray(steps)) {
    steps.forEach((step: unknown, i) => {
      const check = (step as { check?: unknown } | null)?.check
      if (check && typeof check === 'object' && !Array.isArray(check)) {
        const at = `/steps/${i}/check`
        prefixes.push(at)
        const kind = (check as { kind?: unknown }).kind
        const v = typeof kind === 'string' ? checkValidators.get(kind) : undefined
        if (!v) errors.push({ instancePath: `${at}/kind`, keyword: 'kind', message: `must be one of ${CHECK_KINDS.join(', ')}`, params: {} })
        else for (const e of v.Errors(check)) errors.push({ ...e, instancePath: at + e.instancePath })
      }
      const hints = (step as { hints?: unknown } | null)?.hints
      if (Array.isArray(hints)) {
        hints.forEach((h: unknown, j) => {
          const when = (h as { when?: unknown } | null)?.when
          if (!when || typeof when !== 'object') return
          const at = `/steps/${i}/hints/${j}/when`
          prefixes.push(at)
          if (!whenValidator.Check(when)) errors.push({ instancePath: at, keyword: 'when', message: `must be exactly one of ${WHEN_KEYS.join(', ')}, with its value`, params: {} })
        })
      }
    })
  }
  return { errors, handled: (path) => prefixes.some((p) => path === p || path.startsWith(p + '/')) }
}

/** Errors are about the file as written: where, and what was expected. At most `max` of them. */
function schemaErrors(file: string, data: unknown, max = 8): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  const unions = unionErrors(data)
  const all = [...unions.errors, ...[...validator.Errors(data)].filter((e) => !unions.handled(e.instancePath))]
  for (const e of all) {
    // A union's members each report; the most specific path says most.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'boolean') continue
    const params = e.params as { additionalProperties?: string[]; requiredProperties?: string[] } | undefined
    const where = fieldName(e.instancePath)
    let text = `${file}: ${where}: ${e.message}`
    if (params?.additionalProperties?.length) {
      const prefix = e.instancePath ? `${where}.` : ''
      text = params.additionalProperties.map((p) => `${file}: ${prefix}${p}: unknown field`).join('\n')
    }
    else if (params?.requiredProperties) text = `${file}: ${where}: missing ${params.requiredProperties.join(', ')}`
    for (const line of text.split('\n')) {
      if (seen.has(line)) continue
      seen.add(line)
      out.push(line)
    }
    if (out.length >= max) break
  }
  return out.length ? out : [`${file}: does not match the lesson format`]
}

/** Checks beyond the schema: step ids unique within the lesson. */
function consistencyErrors(file: string, lesson: Lesson): string[] {
  const out: string[] = []
  const ids = new Set<string>()
  lesson.steps.forEach((s, i) => {
    if (ids.has(s.id)) out.push(`${file}: steps[${i}].id: "${s.id}" is used by another step`)
    ids.add(s.id)
  })
  return out
}

export function parseLesson(file: string, text: string): LessonParse {
  if (Buffer.byteLength(text) > MAX_LESSON_BYTES) return { ok: false, errors: [`${file}: larger than ${MAX_LESSON_BYTES / 1024} KiB`] }
  let data: unknown
  try {
    // A shipped lesson unchanged since serve was built comes already parsed (preparsed.ts).
    data = preparsedLesson(LESSON_YAML_OPTIONS, text) ?? parseYaml(text, LESSON_YAML_OPTIONS)
  } catch (err) {
    const msg = err instanceof YAMLParseError ? err.message.split('\n')[0]! : (err as Error).message
    return { ok: false, errors: [`${file}: not valid YAML (${msg})`] }
  }
  if (!validator.Check(data)) return { ok: false, errors: schemaErrors(file, data) }
  const lesson = data
  const more = consistencyErrors(file, lesson)
  return more.length ? { ok: false, errors: more } : { ok: true, lesson }
}
