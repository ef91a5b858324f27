/**
 * GUI preferences: theme, language and the fiware-service / fiware-servicepath every view works
 * in. Kept in localStorage; "system" follows the OS.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { setLocale, systemLocale, type Locale } from '../i18n'
import { loadJson, saveJson } from '../services/storage'

export type ThemeChoice = 'system' | 'light' | 'dark'
export type LocaleChoice = 'system' | Locale
export interface Scope {
  service: string
  servicePath: string
}

/** The seed tutorial's tenant: what a trainee needs without changing anything. */
export const TUTORIAL_SCOPE: Scope = { service: 'openiot', servicePath: '/' }

const isTheme = (v: unknown): v is ThemeChoice => v === 'system' || v === 'light' || v === 'dark'
const isLocale = (v: unknown): v is LocaleChoice => v === 'system' || v === 'en' || v === 'pt-BR'
const isScope = (v: unknown): v is Scope =>
  !!v && typeof v === 'object' && typeof (v as Scope).service === 'string' && typeof (v as Scope).servicePath === 'string'

export const usePrefs = defineStore('prefs', () => {
  const theme = ref<ThemeChoice>(loadJson('theme', 'system', isTheme))
  const localeChoice = ref<LocaleChoice>(loadJson('locale', 'system', isLocale))
  /** The default scope for new sessions (Settings). */
  const defaultScope = ref<Scope>(loadJson('defaultScope', TUTORIAL_SCOPE, isScope))
  /** The scope the views work in now (top bar). */
  const scope = ref<Scope>({ ...defaultScope.value })
  /** A trainee of classroom mode works in the own tenant only: the service is fixed, the path is not. */
  const lockedService = ref<string | null>(null)

  const dark = matchMedia('(prefers-color-scheme: dark)')
  const systemDark = ref(dark.matches)
  dark.addEventListener('change', (e) => (systemDark.value = e.matches))

  const effectiveTheme = computed<'light' | 'dark'>(() => (theme.value === 'system' ? (systemDark.value ? 'dark' : 'light') : theme.value))
  const locale = computed<Locale>(() => (localeChoice.value === 'system' ? systemLocale() : localeChoice.value))

  watch(effectiveTheme, (t) => (document.documentElement.dataset.theme = t), { immediate: true })
  watch(locale, (l) => setLocale(l), { immediate: true })
  watch(theme, (v) => saveJson('theme', v))
  watch(localeChoice, (v) => saveJson('locale', v))
  watch(defaultScope, (v) => saveJson('defaultScope', v), { deep: true })

  function cycleTheme(): void {
    theme.value = effectiveTheme.value === 'dark' ? 'light' : 'dark'
  }
  function toggleLocale(): void {
    localeChoice.value = locale.value === 'en' ? 'pt-BR' : 'en'
  }
  function setScope(s: Scope): void {
    scope.value = { service: lockedService.value ?? s.service.trim().toLowerCase(), servicePath: s.servicePath.trim() || '/' }
  }
  function lockService(service: string): void {
    lockedService.value = service
    if (scope.value.service !== service) scope.value = { service, servicePath: scope.value.servicePath }
  }

  return { theme, localeChoice, defaultScope, scope, lockedService, effectiveTheme, locale, cycleTheme, toggleLocale, setScope, lockService }
})

/** Checks a scope as the engine would: plain-words problem or null. Service: letters, digits, _. */
export function scopeProblem(s: Scope): 'service' | 'servicePath' | null {
  if (!/^[A-Za-z0-9_]{0,50}$/.test(s.service)) return 'service'
  if (!/^\/[^#?\s]*$/.test(s.servicePath) || s.servicePath.length > 1024) return 'servicePath'
  return null
}
