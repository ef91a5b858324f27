import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadLessons } from '../../../electron/engine/lessons/catalog'
import { lessonApikeys, personalizeLesson, withTenantHeaders } from '../../../electron/engine/lessons/personalize'
import { parseLesson } from '../../../electron/engine/lessons/lesson-file'
import type { Lesson } from '../../../shared/lessons'

const LESSONS = join(import.meta.dirname, '..', '..', '..', 'resources', 'lessons')
const learner = { service: 'maria_jose', apikey: 'maria_jose_key' }

describe('withTenantHeaders', () => {
  it('adds the two tenant headers after the first line of a multi-line command', () => {
    const curl = "curl -iX POST '{ngsi}/v2/entities' \\\n  -H 'Content-Type: application/json' \\\n  -d '{}'"
    expect(withTenantHeaders(curl)).toBe(
      "curl -iX POST '{ngsi}/v2/entities' \\\n  -H 'fiware-service: {service}' \\\n  -H 'fiware-servicepath: {servicePath}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{}'"
    )
  })

  it('continues a one-line command', () => {
    expect(withTenantHeaders("curl -iX GET '{ngsi}/v2/entities?type=Store'")).toBe(
      "curl -iX GET '{ngsi}/v2/entities?type=Store' \\\n  -H 'fiware-service: {service}' \\\n  -H 'fiware-servicepath: {servicePath}'"
    )
  })

  it('leaves alone commands that reach no tenant data or already name one', () => {
    expect(withTenantHeaders("curl -iX GET '{ngsi}/version'")).toBe("curl -iX GET '{ngsi}/version'")
    expect(withTenantHeaders("curl -iX GET '{north}/iot/about'")).toBe("curl -iX GET '{north}/iot/about'")
    const tenanted = "curl -iX GET '{north}/iot/services' \\\n  -H 'fiware-service: {service}'"
    expect(withTenantHeaders(tenanted)).toBe(tenanted)
  })
})

describe('personalizeLesson', () => {
  it("puts every lesson of the app in the trainee's tenant, and the tutorial's API key nowhere", async () => {
    const { lessons, errors } = await loadLessons([LESSONS])
    expect(errors).toEqual([])
    for (const lesson of lessons) {
      const mine = personalizeLesson(lesson, learner)
      expect(mine.service, lesson.id).toBe('maria_jose')
      expect(mine.id).toBe(lesson.id)
      const text = JSON.stringify(mine)
      for (const key of lessonApikeys(lesson)) expect(text, lesson.id).not.toContain(key)
      if (lesson.service !== '') expect(text, lesson.id).not.toMatch(new RegExp(`\\b${lesson.service}\\b`))
      // What the trainee copies for tenant data names the tenant.
      for (const s of mine.steps) {
        if (s.ways.curl && /'\{(ngsi|north)\}\/(v2\/(entities|subscriptions|registrations|op)|iot\/(services|devices))/.test(s.ways.curl)) {
          expect(s.ways.curl, `${lesson.id}/${s.id}`).toMatch(/fiware-service: \{service\}/)
        }
      }
    }
  })

  it('maps each API key of a lesson to one of the trainee, and keeps the rest of the lesson as written', () => {
    const yaml = `format: 1
id: two-keys
order: 1
title: { en: Two keys, pt-BR: Duas chaves }
summary: { en: With openiot and key1, pt-BR: Com openiot e key1 }
service: openiot
servicePath: /
steps:
  - id: a
    goal: { en: Group key1 in openiot, pt-BR: Grupo key1 }
    explain: { en: x, pt-BR: x }
    ways: { mqtt: "mosquitto_pub -t 'ul/key1/d/attrs' -m 't|1'" }
    check: { kind: group, apikey: key1 }
  - id: b
    goal: { en: Group key2, pt-BR: Grupo key2 }
    explain: { en: "openiotx stays, openiot goes", pt-BR: x }
    ways: {}
    check: { kind: group, apikey: key2 }
`
    const parsed = parseLesson('two-keys.yaml', yaml)
    if (!parsed.ok) throw new Error(parsed.errors.join('; '))
    const mine: Lesson = personalizeLesson(parsed.lesson, { service: 'ana', apikey: 'ana_key' })
    expect(mine.steps[0]!.check).toEqual({ kind: 'group', apikey: 'ana_key' })
    expect(mine.steps[1]!.check).toEqual({ kind: 'group', apikey: 'ana_key_2' })
    expect(mine.steps[0]!.ways.mqtt).toBe("mosquitto_pub -t 'ul/ana_key/d/attrs' -m 't|1'")
    expect(mine.steps[1]!.explain.en).toBe('openiotx stays, ana goes')
    expect(mine.summary.en).toBe('With ana and ana_key')
  })
})
