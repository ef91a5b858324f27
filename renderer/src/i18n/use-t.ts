import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Locale, MessageKey } from './index'

/** vue-i18n's `t`, typed with the keys that exist (a wrong key fails the type check). */
export function useT() {
  const { t, locale } = useI18n()
  return {
    /** With `plural`, the message's `singular | plural` form is chosen by that count. */
    t: (key: MessageKey, params?: Record<string, unknown>, plural?: number): string => (plural === undefined ? t(key, params ?? {}) : t(key, params ?? {}, plural)),
    /** A ref: `locale.value` in scripts, plain `locale` in templates (which unwrap refs). */
    locale: locale as unknown as Ref<Locale>
  }
}
