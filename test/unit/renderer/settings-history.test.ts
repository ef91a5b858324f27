/**
 * The settings form's history card: the built-in history's retention in days and its most points,
 * shown from the saved values (or the engine's defaults), checked within the bounds settings.json
 * accepts, and sent as a patch the settings schema accepts.
 */
import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { HISTORY_BOUNDS, SettingsSchema } from '../../../shared/settings'
import type { MessageKey } from '../../../renderer/src/i18n'
import { LOCALES } from '../../../renderer/src/i18n/define'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { buildPatch, FIELD_PATHS, modelFrom, validateSettings, type SettingsModel } from '../../../renderer/src/services/settings-form'

const schema = Compile(SettingsSchema)

describe('the settings form: history retention', () => {
  it('shows the saved values, and the engine’s defaults (30 days, 1,000,000 points) when none is saved', () => {
    expect(modelFrom({})).toMatchObject({ historyRetentionDays: 30, historyMaxPoints: 1_000_000 })
    expect(modelFrom({ history: { retentionDays: 7 } })).toMatchObject({ historyRetentionDays: 7, historyMaxPoints: 1_000_000 })
    expect(modelFrom({ history: { retentionDays: 365, maxPoints: 5000 } })).toMatchObject({ historyRetentionDays: 365, historyMaxPoints: 5000 })
    expect(FIELD_PATHS).toMatchObject({ historyRetentionDays: 'history.retentionDays', historyMaxPoints: 'history.maxPoints' })
  })

  it('sends only what changed, and the result is valid settings', () => {
    const saved = modelFrom({ history: { retentionDays: 30, maxPoints: 1_000_000 } })
    const days: SettingsModel = { ...saved, historyRetentionDays: 90 }
    expect(validateSettings(days)).toEqual({})
    expect(buildPatch(saved, days, {})).toEqual({ history: { retentionDays: 90 } })
    const both: SettingsModel = { ...saved, historyRetentionDays: 1, historyMaxPoints: 20_000_000 }
    const patch = buildPatch(saved, both, {})
    expect(patch).toEqual({ history: { retentionDays: 1, maxPoints: 20_000_000 } })
    expect(schema.Check(patch)).toBe(true)
    expect(buildPatch(saved, { ...saved }, {})).toEqual({})
  })

  it('never sends what a flag or a variable fixes', () => {
    const saved = modelFrom({})
    const edited: SettingsModel = { ...saved, historyRetentionDays: 14, historyMaxPoints: 2000 }
    expect(buildPatch(saved, edited, { 'history.retentionDays': 'flag', 'history.maxPoints': 'env' })).toEqual({})
    expect(buildPatch(saved, edited, { 'history.retentionDays': 'env' })).toEqual({ history: { maxPoints: 2000 } })
  })

  it('explains a value outside the bounds settings.json accepts, or a cleared field', () => {
    const m = modelFrom({})
    for (const bad of [0, 3651, 1.5, -1, '' as unknown as number]) {
      expect(validateSettings({ ...m, historyRetentionDays: bad }), String(bad)).toEqual({ historyRetentionDays: 'settings.problem.historyRetentionDays' })
      // What the form refuses, the settings schema refuses too.
      expect(schema.Check({ history: { retentionDays: bad } }), String(bad)).toBe(false)
    }
    for (const bad of [999, 20_000_001, 1000.5, '' as unknown as number]) {
      expect(validateSettings({ ...m, historyMaxPoints: bad }), String(bad)).toEqual({ historyMaxPoints: 'settings.problem.historyMaxPoints' })
      expect(schema.Check({ history: { maxPoints: bad } }), String(bad)).toBe(false)
    }
    for (const [days, points] of [[1, 1000], [3650, 20_000_000]]) {
      expect(validateSettings({ ...m, historyRetentionDays: days!, historyMaxPoints: points! })).toEqual({})
      expect(schema.Check({ history: { retentionDays: days, maxPoints: points } })).toBe(true)
    }
  })

  it('says the same bounds as the engine in both languages, and that the oldest points go first', () => {
    const said = (key: MessageKey, b: { min: number; max: number }): void => {
      for (const locale of LOCALES) {
        expect(allMessages[key][locale], `${key} ${locale}`).toContain(String(b.min))
        expect(allMessages[key][locale], `${key} ${locale}`).toContain(String(b.max))
      }
    }
    said('settings.historyRetentionDaysHint', HISTORY_BOUNDS.retentionDays)
    said('settings.problem.historyRetentionDays', HISTORY_BOUNDS.retentionDays)
    said('settings.historyMaxPointsHint', HISTORY_BOUNDS.maxPoints)
    said('settings.problem.historyMaxPoints', HISTORY_BOUNDS.maxPoints)
    expect(allMessages['settings.historyMaxPointsHint'].en).toMatch(/oldest points go first/)
    expect(allMessages['settings.historyMaxPointsHint']['pt-BR']).toMatch(/mais antigos saem primeiro/)
    expect(allMessages['settings.historyIntro'].en).toMatch(/when the engine restarts/)
    expect(allMessages['settings.historyIntro']['pt-BR']).toMatch(/quando o motor reiniciar/)
  })
})
