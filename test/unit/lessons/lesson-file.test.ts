import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadLessons } from '../../../electron/engine/lessons/catalog'
import { fieldName, parseLesson } from '../../../electron/engine/lessons/lesson-file'
import { tempDir } from '../../helpers/temp-dir'

const LESSONS = join(__dirname, '../../../resources/lessons')

const minimal = (over: Record<string, string> = {}): string =>
  [
    'format: 1',
    `id: ${over.id ?? 'sample'}`,
    'order: 1',
    'service: demo',
    'servicePath: /',
    'title: { en: Sample, pt-BR: Exemplo }',
    'summary: { en: A sample., pt-BR: Um exemplo. }',
    'steps:',
    `  - id: ${over.stepId ?? 'health'}`,
    '    goal: { en: Check the broker, pt-BR: Verifique o broker }',
    '    explain: { en: GET /version answers., pt-BR: GET /version responde. }',
    '    ways: { curl: "curl {ngsi}/version" }',
    `    check: ${over.check ?? '{ kind: request, api: ngsi, path: /version }'}`,
    over.extra ?? ''
  ].join('\n')

describe('lesson files', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = []
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it("the repository's lessons are all valid, in both languages", async () => {
    const { lessons, errors } = await loadLessons([LESSONS])
    expect(errors).toEqual([])
    expect(lessons.map((l) => l.id)).toContain('iot-agent-ul-mqtt')
    for (const l of lessons) {
      for (const s of l.steps) {
        expect(s.goal.en.length * s.goal['pt-BR'].length, `${l.id}/${s.id}`).toBeGreaterThan(0)
      }
    }
  })

  it('a minimal lesson parses', () => {
    const r = parseLesson('x.yaml', minimal())
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.lesson.steps[0]!.check).toEqual({ kind: 'request', api: 'ngsi', path: '/version' })
  })

  it('names the file and the field of a problem', () => {
    const unknownKind = parseLesson('bad.yaml', minimal({ check: '{ kind: teleport }' }))
    expect(unknownKind.ok).toBe(false)
    if (!unknownKind.ok) expect(unknownKind.errors.join('\n')).toMatch(/^bad\.yaml: steps\[0\]\.check/m)

    const missing = parseLesson('bad.yaml', minimal().replace('    goal: { en: Check the broker, pt-BR: Verifique o broker }\n', '    goal: { en: Check the broker }\n'))
    expect(missing.ok).toBe(false)
    if (!missing.ok) expect(missing.errors).toContain('bad.yaml: steps[0].goal: missing pt-BR')

    const extra = parseLesson('bad.yaml', minimal({ extra: '    colour: red' }))
    expect(extra.ok).toBe(false)
    if (!extra.ok) expect(extra.errors).toContain('bad.yaml: steps[0].colour: unknown field')
  })

  it('refuses YAML that does not parse, two steps with one id, and alias bombs', () => {
    const syntax = parseLesson('s.yaml', 'format: 1\nid: [unclosed')
    expect(syntax).toMatchObject({ ok: false })
    if (!syntax.ok) expect(syntax.errors[0]).toMatch(/^s\.yaml: not valid YAML/)

    const twice = parseLesson('d.yaml', minimal() + '\n' + minimal().split('steps:\n')[1]!)
    expect(twice.ok).toBe(false)
    if (!twice.ok) expect(twice.errors).toEqual(['d.yaml: steps[1].id: "health" is used by another step'])

    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 60 }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`}, *${i === 0 ? 'a' : `b${i - 1}`}]`)].join('\n')
    const r = parseLesson('bomb.yaml', bomb)
    expect(r.ok).toBe(false)
  })

  it('a bad file is reported while the other lessons of the folder still load', async () => {
    const dir = tempDir('ulcc-lessons-')
    dirs.push(dir)
    copyFileSync(join(LESSONS, '07-iot-agent-ul-mqtt.yaml'), join(dir.path, '07.yaml'))
    writeFileSync(join(dir.path, 'broken.yaml'), minimal({ check: '{ kind: device }' }))
    writeFileSync(join(dir.path, 'same-id.yml'), minimal({ id: 'iot-agent-ul-mqtt' }))
    writeFileSync(join(dir.path, 'notes.txt'), 'not a lesson')
    const { lessons, errors } = await loadLessons([dir.path])
    expect(lessons.map((l) => l.id)).toEqual(['iot-agent-ul-mqtt'])
    expect(errors.some((e) => e.startsWith(join(dir.path, 'broken.yaml')) && e.includes('steps[0].check'))).toBe(true)
    expect(errors).toContain(`${join(dir.path, 'same-id.yml')}: id: "iot-agent-ul-mqtt" is already the id of ${join(dir.path, '07.yaml')}`)
    expect(errors).toHaveLength(2)
  })

  it('a folder that does not exist is an error, not a crash', async () => {
    const { lessons, errors } = await loadLessons(['/nonexistent/lessons'])
    expect(lessons).toEqual([])
    expect(errors[0]).toMatch(/^\/nonexistent\/lessons: cannot list the lessons/)
  })

  it('field names read like the file', () => {
    expect(fieldName('/steps/2/check/kind')).toBe('steps[2].check.kind')
    expect(fieldName('')).toBe('(the whole file)')
    expect(fieldName('/title/pt-BR')).toBe('title.pt-BR')
  })
})
