/** One entry per key, every language side by side: a key cannot miss a language. */
export type Locale = 'en' | 'pt-BR'
export const LOCALES: readonly Locale[] = ['en', 'pt-BR']
export type Translation = Record<Locale, string>

export function defineMessages<const T extends Record<string, Translation>>(messages: T): T {
  return messages
}
