/**
 * Translations: every key has every language, both languages take the same parameters, no
 * message uses vue-i18n syntax by accident, and every key the sources use exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RequestSchemas } from '../../../shared/contract'
import { LOCALES } from '../../../renderer/src/i18n/define'
import { compileMessages } from '../../../renderer/src/i18n/index'
import { allMessages } from '../../../renderer/src/i18n/messages/index'

const src = join(import.meta.dirname, '..', '..', '..', 'renderer', 'src')
const messages: Record<string, Record<string, string>> = allMessages
const keys = Object.keys(messages)

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return relative(src, path).startsWith(join('i18n', 'messages')) ? [] : sources(path)
    return /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

const params = (text: string): string[] => [...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]!).sort()

describe('translations', () => {
  it('have a non-empty text in every language for every key', () => {
    expect(keys.length).toBeGreaterThan(100)
    for (const key of keys) {
      for (const locale of LOCALES) {
        expect(typeof messages[key]![locale], `${key} ${locale}`).toBe('string')
        expect(messages[key]![locale]!.trim(), `${key} ${locale}`).not.toBe('')
      }
      expect(Object.keys(messages[key]!).sort(), key).toEqual([...LOCALES].sort())
    }
  })

  it('take the same parameters in every language', () => {
    for (const key of keys) {
      const en = params(messages[key]!.en!)
      for (const locale of LOCALES) expect(params(messages[key]![locale]!), `${key} ${locale}`).toEqual(en)
    }
  })

  it('use no vue-i18n syntax by accident (linked @, plural |, stray braces)', () => {
    // Plural forms (`singular | plural`) only where the sources pass a count: t('key', {…}, count).
    const counted = new Set<string>()
    for (const file of sources(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w$.])t\(\s*'([^']+)'\s*,\s*\{[^}]*\}\s*,/g)) counted.add(m[1]!)
    }
    expect(counted.size, 'the sources use plural forms somewhere').toBeGreaterThan(0)
    for (const key of keys) {
      for (const locale of LOCALES) {
        const forms = counted.has(key) ? messages[key]![locale]!.split(' | ') : [messages[key]![locale]!]
        if (counted.has(key)) expect(forms, `${key} ${locale}: singular | plural`).toHaveLength(2)
        for (const text of forms) {
          // Parameters and {'literal'} interpolations are the only braces allowed.
          const rest = text.replace(/\{\s*[A-Za-z_]\w*\s*\}/g, '').replace(/\{'[^']*'\}/g, '')
          expect(rest, `${key} ${locale}`).not.toMatch(/[{}@|$]/)
        }
      }
    }
  })

  it('compile into nested messages without a key clashing with another', () => {
    const compiled = compileMessages(allMessages)
    for (const locale of LOCALES) expect(Object.keys(compiled[locale] ?? {}).length).toBeGreaterThan(5)
  })

  it('exist for every key the sources use', () => {
    const namespaces = new Set(keys.map((k) => k.split('.')[0]!))
    // Engine request names ('settings.get', 'logs.recent') look like keys but are not.
    const requests = new Set(Object.keys(RequestSchemas))
    const used = new Map<string, string>()
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8')
      // t('…'), $t('…'), k('…'), and any quoted 'namespace.key' (keys in tables and code).
      for (const m of text.matchAll(/(?<![\w$.])(?:\$?t|k)\(\s*'([^']+)'/g)) used.set(m[1]!, relative(src, file))
      for (const m of text.matchAll(/'([a-z][A-Za-z]*(?:\.[A-Za-z0-9_]+)+)'/g)) {
        if (namespaces.has(m[1]!.split('.')[0]!) && !requests.has(m[1]!)) used.set(m[1]!, relative(src, file))
      }
    }
    expect(used.size).toBeGreaterThan(100)
    const missing = [...used].filter(([key]) => !(key in messages)).map(([key, file]) => `${key} (${file})`)
    expect(missing).toEqual([])
  })
})
