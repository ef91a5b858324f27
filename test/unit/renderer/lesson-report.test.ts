/**
 * The report of a lesson's progress: as JSON, each step with its goal, state, time, evidence and
 * hints, in the chosen language; as HTML, one standalone page where every text is escaped.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { Lesson, LessonContextDto, LessonProgressDto } from '../../../shared/contract'
import type { MessageKey } from '../../../renderer/src/i18n'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { buildLessonReport, escapeHtml, lessonReportHtml, lessonReportJson, reportFileName } from '../../../renderer/src/services/lesson-report'

const tr =
  (locale: 'en' | 'pt-BR') =>
  (key: MessageKey, params: Record<string, unknown> = {}): string =>
    allMessages[key][locale].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))

/** The tutorial-7 lesson as the app ships it. */
const T7 = parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'resources', 'lessons', '07-iot-agent-ul-mqtt.yaml'), 'utf8')) as Lesson
const CONTEXT: LessonContextDto = { service: 'openiot', servicePath: '/', placeholders: {} }
const AT = Date.UTC(2026, 11, 7, 16, 20, 5)

function progress(): LessonProgressDto {
  return {
    lessonId: T7.id,
    startedAt: AT - 60_000,
    steps: T7.steps.map((s, i) =>
      i === 0
        ? { stepId: s.id, state: 'done', evidence: { at: AT, summary: 'GET /iot/about → 200', data: { method: 'GET', path: '/iot/about', status: 200 }, traceId: 12 }, hints: [] }
        : i === 3
          ? { stepId: s.id, state: 'todo', hints: [{ index: 0, at: AT + 1000, observed: 'ul/wrongkey/device001/attrs: NO_GROUP' }] }
          : { stepId: s.id, state: 'todo', hints: [] }
    )
  }
}

/** A lesson whose texts try to inject markup. */
function hostile(): Lesson {
  const evil = '<script>alert("x")</script> & <b>'
  return {
    ...T7,
    title: { en: `Title ${evil}`, 'pt-BR': `Título ${evil}` },
    steps: T7.steps.map((s, i) => (i === 0 ? { ...s, goal: { en: `Goal ${evil}`, 'pt-BR': `Objetivo ${evil}` } } : s))
  }
}

describe('lesson report', () => {
  it('lists each step with goal, state, done time, evidence and hints (Portuguese)', () => {
    const r = buildLessonReport(T7, CONTEXT, progress(), 'pt-BR', tr('pt-BR'), AT + 5000)
    expect(r).toMatchObject({ format: 'ulcc-lesson-report', version: 1, language: 'pt-BR', lesson: { id: 'iot-agent-ul-mqtt', title: 'Agente IoT UltraLight 2.0 sobre MQTT' } })
    expect(r.tenant).toEqual({ service: 'openiot', servicePath: '/' })
    expect(r.exportedAt).toBe('2026-12-07T16:20:10.000Z')
    expect(r.startedAt).toBe('2026-12-07T16:19:05.000Z')
    expect(r.steps).toHaveLength(7)
    expect(r.steps[0]).toEqual({
      id: 'agent-health',
      goal: 'Verifique se o Agente IoT responde.',
      state: 'done',
      doneAt: '2026-12-07T16:20:05.000Z',
      evidence: {
        text: 'GET /iot/about chegou à API de provisionamento do Agente IoT, com a resposta 200.',
        summary: 'GET /iot/about → 200',
        data: { method: 'GET', path: '/iot/about', status: 200 },
        traceId: 12
      },
      hints: []
    })
    expect(r.steps[3]).toEqual({
      id: 'first-measure',
      goal: 'Faça o device001 enviar uma medida e veja-a chegar à sua entidade.',
      state: 'todo',
      hints: [
        {
          text: 'O agente recusou a mensagem: nenhum grupo de serviço tem a chave de API do tópico. Confira a chave: 4jggokgpepnvsb2uv4s40d59ov.',
          observed: 'ul/wrongkey/device001/attrs: NO_GROUP',
          at: '2026-12-07T16:20:06.000Z'
        }
      ]
    })
    expect(JSON.parse(lessonReportJson(r))).toEqual(r)
    expect(reportFileName(r, 'json')).toBe('lesson-iot-agent-ul-mqtt-2026-12-07.json')
  })

  it('is in English when asked', () => {
    const r = buildLessonReport(T7, CONTEXT, progress(), 'en', tr('en'), AT)
    expect(r.lesson.title).toBe('IoT Agent UltraLight 2.0 over MQTT')
    expect(r.steps[0]!.evidence!.text).toBe('GET /iot/about reached the IoT Agent’s provisioning API, answered with 200.')
    expect(r.steps[3]!.hints[0]!.text).toMatch(/^The agent refused the message/)
  })

  it('escapes every text of the HTML page, in both languages', () => {
    for (const locale of ['en', 'pt-BR'] as const) {
      const t = tr(locale)
      const html = lessonReportHtml(buildLessonReport(hostile(), CONTEXT, progress(), locale, t, AT), t)
      expect(html.startsWith('<!doctype html>')).toBe(true)
      expect(html).toContain(`<html lang="${locale}">`)
      // Only the page's own <script>-free markup: the texts' tags are entities.
      expect(html).not.toMatch(/<script/i)
      expect(html).not.toContain('<b>')
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;')
      // Nothing is loaded from elsewhere.
      expect(html).not.toMatch(/\b(src|href)=/i)
      expect(html).not.toMatch(/https?:\/\//)
      expect(html).not.toMatch(/@import|url\(/)
    }
    const pt = lessonReportHtml(buildLessonReport(hostile(), CONTEXT, progress(), 'pt-BR', tr('pt-BR'), AT), tr('pt-BR'))
    expect(pt).toContain('<title>Relatório da lição: Título &lt;script&gt;')
    expect(pt).toContain('Passo 1: Objetivo &lt;script&gt;')
    expect(pt).toContain('✓ feito')
    expect(pt).toContain('○ a fazer')
    expect(pt).toContain('rastro nº 12')
    expect(pt).toContain('Observado: ul/wrongkey/device001/attrs: NO_GROUP')
    const en = lessonReportHtml(buildLessonReport(hostile(), CONTEXT, progress(), 'en', tr('en'), AT), tr('en'))
    expect(en).toContain('Step 1: Goal &lt;script&gt;')
    expect(en).toContain('✓ done')
  })

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})
