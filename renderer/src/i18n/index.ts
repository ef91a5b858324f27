/**
 * Translations: the sources in ./messages list every key once with all its languages
 * (`{ key: { en, 'pt-BR' } }`); they are compiled here into vue-i18n's per-language messages.
 * vue-i18n syntax applies: `{name}` is a parameter; `@` and `|` must not appear literally.
 */
import { createI18n } from 'vue-i18n'
import { LOCALES, type Locale, type Translation } from './define'
import { allMessages } from './messages'

export type { Locale } from './define'
export { LOCALES } from './define'
export type MessageKey = keyof typeof allMessages

type Nested = { [k: string]: string | Nested }

/** `{ 'a.b': { en, pt } }` → `{ en: { a: { b } }, 'pt-BR': { a: { b } } }`. */
export function compileMessages(source: Record<string, Translation>): Record<Locale, Nested> {
  const out = Object.fromEntries(LOCALES.map((l) => [l, {}])) as Record<Locale, Nested>
  for (const [key, tr] of Object.entries(source)) {
    for (const locale of LOCALES) {
      const parts = key.split('.')
      let node = out[locale]
      for (const p of parts.slice(0, -1)) {
        const next = node[p]
        if (typeof next === 'string') throw new Error(`translation key ${key} clashes with a shorter key`)
        node = node[p] = next ?? {}
      }
      node[parts[parts.length - 1]!] = tr[locale]
    }
  }
  return out
}

/** The user's language when nothing was chosen: Portuguese for any pt-*, else English. */
export function systemLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const lang of languages) {
    const l = lang.toLowerCase()
    if (l.startsWith('pt')) return 'pt-BR'
    if (l.startsWith('en')) return 'en'
  }
  return 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: compileMessages(allMessages),
  missingWarn: false,
  fallbackWarn: false,
  // Messages are shown as text, never as HTML; the API key hint mentions <key>.
  warnHtmlMessage: false
})

/** A key chosen at run time (from a map of codes, say), written so the key test can see it. */
export function k<K extends MessageKey>(key: K): K {
  return key
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
}
