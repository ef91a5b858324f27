/**
 * The report of a lesson's progress, for a trainee to hand in or a trainer to file: as JSON (data)
 * and as one standalone HTML page (no external resource, readable printed). Pure builders: the
 * view downloads what they return.
 */
import type { Lesson, LessonContextDto, LessonProgressDto } from '../../../shared/contract'
import type { Locale } from '../i18n'
import { activeHints, evidenceText, tenantText, textIn, type T } from './lesson-text'

export interface LessonReportStep {
  id: string
  goal: string
  state: 'done' | 'todo'
  /** ISO 8601, when the step was done. */
  doneAt?: string
  evidence?: { text: string; summary: string; data?: unknown; traceId?: number }
  hints: Array<{ text: string; observed?: string; at: string }>
}

export interface LessonReport {
  format: 'ulcc-lesson-report'
  version: 1
  language: Locale
  exportedAt: string
  lesson: { id: string; title: string }
  tenant: { service: string; servicePath: string }
  startedAt?: string
  steps: LessonReportStep[]
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** The report as data, in the given language. */
export function buildLessonReport(lesson: Lesson, context: LessonContextDto, progress: LessonProgressDto, locale: Locale, t: T, now = Date.now()): LessonReport {
  return {
    format: 'ulcc-lesson-report',
    version: 1,
    language: locale,
    exportedAt: iso(now),
    lesson: { id: lesson.id, title: textIn(lesson.title, locale) },
    tenant: { service: context.service, servicePath: context.servicePath },
    ...(progress.startedAt !== undefined ? { startedAt: iso(progress.startedAt) } : {}),
    steps: lesson.steps.map((step) => {
      const p = progress.steps.find((s) => s.stepId === step.id)
      const done = p?.state === 'done'
      const ev = done ? p.evidence : undefined
      return {
        id: step.id,
        goal: textIn(step.goal, locale),
        state: done ? 'done' : 'todo',
        ...(ev ? { doneAt: iso(ev.at) } : {}),
        ...(ev
          ? {
              evidence: {
                text: evidenceText(step.check, ev, t, locale),
                summary: ev.summary,
                ...(ev.data !== undefined ? { data: ev.data } : {}),
                ...(ev.traceId !== undefined ? { traceId: ev.traceId } : {})
              }
            }
          : {}),
        hints: activeHints(step, p?.hints ?? [], locale).map((h) => ({ text: h.text, at: iso(h.at), ...(h.observed ? { observed: h.observed } : {}) }))
      }
    })
  }
}

export function lessonReportJson(report: LessonReport): string {
  return JSON.stringify(report, null, 2) + '\n'
}

/** Text for HTML: `&`, `<`, `>`, `"` and `'` as entities, so that no lesson or device text becomes markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;color:#1d2530;background:#fff;max-width:860px;margin:24px auto;padding:0 16px}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin:0 0 6px}
section{border:1px solid #d5dae1;border-radius:8px;padding:10px 14px;margin:10px 0;break-inside:avoid}
.done{color:#177245;font-weight:600}.todo{color:#5b6675;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{color:#5b6675}dd{margin:0}
pre{white-space:pre-wrap;word-break:break-all;background:#f0f2f5;padding:6px 8px;border-radius:6px;font-size:12px}
.meta{color:#5b6675}`

/** A local date and time for the page. */
const when = (isoText: string, locale: Locale): string => new Date(isoText).toLocaleString(locale, { hour12: false })

/** The report as a standalone HTML page: every text escaped, the style inline, nothing loaded from elsewhere. */
export function lessonReportHtml(report: LessonReport, t: T): string {
  const e = escapeHtml
  const L = report.language
  const steps = report.steps
    .map((s, i) => {
      const rows: string[] = [
        `<dt>${e(t('lesson.report.state'))}</dt><dd class="${s.state}">${e(s.state === 'done' ? `✓ ${t('lesson.report.done')}` : `○ ${t('lesson.report.todo')}`)}</dd>`
      ]
      if (s.doneAt) rows.push(`<dt>${e(t('lesson.report.doneAt'))}</dt><dd>${e(when(s.doneAt, L))}</dd>`)
      if (s.evidence) {
        const trace = s.evidence.traceId !== undefined ? ` (${e(t('lesson.report.trace', { id: s.evidence.traceId }))})` : ''
        const data = s.evidence.data !== undefined ? `<pre>${e(JSON.stringify(s.evidence.data, null, 2))}</pre>` : ''
        rows.push(`<dt>${e(t('lesson.report.evidence'))}</dt><dd>${e(s.evidence.text)}${trace}${data}</dd>`)
      }
      if (s.hints.length) {
        const items = s.hints.map((h) => `<li>${e(h.text)}${h.observed ? `<br><span class="meta">${e(t('lesson.observed', { what: h.observed }))}</span>` : ''}</li>`).join('')
        rows.push(`<dt>${e(t('lesson.report.hints'))}</dt><dd><ul>${items}</ul></dd>`)
      }
      return `<section><h2>${e(t('lesson.step', { n: i + 1 }))}: ${e(s.goal)}</h2><dl>${rows.join('')}</dl></section>`
    })
    .join('\n')
  const title = t('lesson.report.title', { title: report.lesson.title })
  const meta = [t('lesson.report.exported', { time: when(report.exportedAt, L) }), ...(report.startedAt ? [t('lesson.report.started', { time: when(report.startedAt, L) })] : []), tenantText(report.tenant.service, report.tenant.servicePath)]
  return `<!doctype html>
<html lang="${e(L)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
<p class="meta">${meta.map(e).join('<br>')}</p>
${steps}
</body>
</html>
`
}

/** The file name of a report: `lesson-<id>-<date>.<ext>`. */
export function reportFileName(report: LessonReport, ext: 'json' | 'html'): string {
  return `lesson-${report.lesson.id}-${report.exportedAt.slice(0, 10)}.${ext}`
}
