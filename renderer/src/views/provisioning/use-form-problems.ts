import { computed, ref, type Ref } from 'vue'
import { useT } from '../../i18n/use-t'
import type { Problem } from '../../services/provisioning-forms'

/** Problems in plain words by field, shown once a field was left or a save was tried. */
export function useFormProblems(all: Ref<Problem[]>) {
  const { t } = useT()
  const touched = ref(new Set<string>())
  const tried = ref(false)
  const shown = computed<Record<string, string>>(() => {
    const out: Record<string, string> = {}
    for (const p of all.value) {
      const top = p.field.split('.')[0]!
      if (tried.value || touched.value.has(p.field) || (p.field.includes('.') && touched.value.has(top))) out[p.field] ??= t(p.key, p.params)
    }
    return out
  })
  function touch(field: string): void {
    touched.value = new Set([...touched.value, field])
  }
  function reset(): void {
    touched.value = new Set()
    tried.value = false
  }
  return { shown, touch, tried, reset }
}
