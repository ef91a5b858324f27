/**
 * Lessons in words (docs/lessons.md): a lesson's texts in the GUI's language, its commands with the
 * placeholders of the running app filled in, what made a step done (from the step's `check` and the
 * engine's evidence data) and the hints that apply now.
 */
import type { ActiveHintDto, AgentKind, LessonProgressDto, LessonStep, LessonText, StepEvidenceDto } from '../../../shared/contract'
import type { LessonCheck } from '../../../shared/lessons'
import { k, type Locale, type MessageKey } from '../i18n'
import { formatNumber } from './format'

export type T = (key: MessageKey, params?: Record<string, unknown>) => string

/** A lesson text in the GUI's language. */
export function textIn(text: LessonText, locale: Locale): string {
  return text[locale]
}

/**
 * Replaces `{name}` by `values[name]` in a command of a lesson (`{ngsi}`, `{north}`, `{mqttHost}`,
 * `{mqttPort}`, `{service}`, `{servicePath}`). The values go in as the engine gave them (the lesson
 * quotes them where a shell needs it); an unknown placeholder stays as it is, so that a JSON body
 * with braces is never touched.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole))
}

/** Index of the current step: the first one not done; -1 when every step is done. */
export function currentStepIndex(progress: LessonProgressDto | null | undefined, steps: readonly { id: string }[]): number {
  return steps.findIndex((s) => progress?.steps.find((p) => p.stepId === s.id)?.state !== 'done')
}

/** A tenant as the headers say it: `fiware-service: openiot, fiware-servicepath: /`. */
export function tenantText(service: string, servicePath: string): string {
  return `fiware-service: ${service}, fiware-servicepath: ${servicePath}`
}

export interface HintLine {
  text: string
  observed?: string
  at: number
}

/** The hints that apply now, in the GUI's language, with what was observed; unknown indexes are skipped. */
export function activeHints(step: LessonStep, hints: readonly ActiveHintDto[], locale: Locale): HintLine[] {
  const out: HintLine[] = []
  for (const h of hints) {
    const def = step.hints?.[h.index]
    if (!def) continue
    out.push({ text: textIn(def.text, locale), at: h.at, ...(h.observed ? { observed: h.observed } : {}) })
  }
  return out
}

/** The step's `always` hints, in the language: what the trainee gets on asking for help, whatever happened. */
export function askedHints(step: LessonStep, locale: Locale): string[] {
  return (step.hints ?? []).filter((h) => 'always' in h.when).map((h) => textIn(h.text, locale))
}

// ---- evidence

type Data = Record<string, unknown>

const asData = (v: unknown): Data => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {})

/** A string or number field of the evidence data, else the fallback. */
function field(data: Data, names: readonly string[], fallback: string): string {
  for (const n of names) {
    const v = data[n]
    if (typeof v === 'string' && v) return v
    if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  }
  return fallback
}

/** A list field of the evidence data (names, or an object's keys), else the fallback. */
function list(data: Data, names: readonly string[], fallback: readonly string[] | undefined): string[] | undefined {
  for (const n of names) {
    const v = data[n]
    if (Array.isArray(v) && v.length) return v.map((x) => (typeof x === 'string' ? x : typeof x === 'object' && x && 'name' in x ? String((x as { name: unknown }).name) : String(x)))
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) return Object.keys(v)
  }
  return fallback ? [...fallback] : undefined
}

const API_KEYS: Record<'north' | 'ngsi', MessageKey> = { north: k('lesson.api.toNorth'), ngsi: k('lesson.api.toNgsi') }

/** What a check looks for, in a few words (`type Device, attributes: a, b`). */
function whatText(parts: Array<[MessageKey, string | readonly string[] | undefined]>, t: T): string {
  const shown = parts.filter(([, v]) => v !== undefined && (typeof v === 'string' ? v !== '' : v.length > 0)).map(([label, v]) => `${t(label)} ${typeof v === 'string' ? v : v!.join(', ')}`)
  return shown.length ? shown.join('; ') : t('lesson.ev.any')
}

/**
 * What made a step done, in a sentence of the GUI's language: from the step's check (which names
 * what it waited for) and the evidence data the engine recorded (which says what it saw). Data
 * fields the engine does not send fall back to the check's own values.
 */
export function evidenceText(check: LessonCheck, evidence: Pick<StepEvidenceDto, 'data'> | undefined, t: T, locale: Locale): string {
  const d = asData(evidence?.data)
  switch (check.kind) {
    case 'request': {
      const method = field(d, ['method'], check.method ?? 'GET')
      const path = field(d, ['path', 'url'], check.path)
      const status = field(d, ['status'], '')
      const params = { request: `${method} ${path}`, reached: t(API_KEYS[check.api]) }
      return status ? t('lesson.ev.request', { ...params, status }) : t('lesson.ev.requestNoStatus', params)
    }
    case 'group':
      return t('lesson.ev.group', { apikey: field(d, ['apikey'], check.apikey ?? '?'), type: field(d, ['entity_type', 'entityType'], check.entity_type ?? '?') })
    case 'device':
      return t('lesson.ev.device', { device: field(d, ['device_id', 'deviceId'], check.device_id), entity: field(d, ['entity_name', 'entityName', 'entityId'], check.entity_name ?? '?') })
    case 'measure':
      return t('lesson.ev.measure', { device: field(d, ['device_id', 'deviceId'], check.device_id), attrs: (list(d, ['attributes', 'attrs', 'values'], check.attributes) ?? ['?']).join(', ') })
    case 'command':
      return t('lesson.ev.command', {
        command: field(d, ['command'], check.command),
        device: field(d, ['device_id', 'deviceId'], check.device_id),
        status: field(d, ['status'], check.status)
      })
    case 'measure-interval': {
      const device = field(d, ['device_id', 'deviceId'], check.device_id)
      const seconds = d.seconds ?? d.intervalSeconds ?? (typeof d.intervalMs === 'number' ? d.intervalMs / 1000 : undefined)
      return typeof seconds === 'number' && Number.isFinite(seconds)
        ? t('lesson.ev.interval', { device, seconds: formatNumber(seconds, locale, 2) })
        : t('lesson.ev.intervalAtMost', { device, seconds: formatNumber(check.atMostSeconds, locale, 2) })
    }
    case 'entity': {
      const count = field(d, ['count'], String(check.count ?? 1))
      const what = whatText(
        [
          [k('lesson.ev.label.id'), check.id],
          [k('lesson.ev.label.type'), check.type],
          [k('lesson.ev.label.attributes'), check.attributes]
        ],
        t
      )
      return t('lesson.ev.entity', { count, what })
    }
    case 'entity-gone':
      return check.attribute ? t('lesson.ev.attributeGone', { id: check.id, attribute: check.attribute }) : t('lesson.ev.entityGone', { id: check.id })
    case 'registration':
      return t('lesson.ev.registration', {
        what: whatText(
          [
            [k('lesson.ev.label.entity'), check.entityId],
            [k('lesson.ev.label.attributes'), check.attributes]
          ],
          t
        )
      })
    case 'subscription': {
      const what = whatText(
        [
          [k('lesson.ev.label.type'), check.entityType],
          [k('lesson.ev.label.attributes'), check.attributes]
        ],
        t
      )
      return check.notified ? t('lesson.ev.subscriptionNotified', { what }) : t('lesson.ev.subscription', { what })
    }
  }
}

// ---- "do it in the app"

/** Where a step's GUI way leads: the view, and what to prepare there. */
export interface GuiTarget {
  view: 'overview' | 'provisioning' | 'device' | 'inspector' | 'simulator' | 'settings'
  /** The provisioning form to open with the tutorial's values. */
  form?: 'new-group' | 'new-device'
  /** The device to show on the device page (from the step's check). */
  deviceId?: string
  /** The IoT Agent the form provisions or the device belongs to (from the step's check; UltraLight when it names none). */
  agent?: AgentKind
}

const VIEWS_OF_GUI: ReadonlyArray<GuiTarget['view']> = ['overview', 'provisioning', 'device', 'inspector', 'simulator', 'settings']

/** The target of a step's `ways.gui`: traces open from the inspector; the device page shows the check's device. */
export function guiTarget(step: LessonStep): GuiTarget | null {
  const gui = step.ways.gui
  if (!gui) return null
  const named: string = gui.view
  const view = (VIEWS_OF_GUI as readonly string[]).includes(named) ? (named as GuiTarget['view']) : 'inspector'
  const deviceId = 'device_id' in step.check ? step.check.device_id : undefined
  const agent: AgentKind = 'agent' in step.check && step.check.agent === 'json' ? 'json' : 'ul'
  if (gui.intent === 'new-group-preset') return { view: 'provisioning', form: 'new-group', agent }
  if (gui.intent === 'new-device-preset') return { view: 'provisioning', form: 'new-device', agent }
  if (gui.intent === 'start-seed-device') return { view: 'simulator' }
  if (view === 'device' || gui.intent === 'send-command') return { view: 'device', ...(deviceId ? { deviceId } : {}), agent }
  return { view }
}
