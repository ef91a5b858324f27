import { computed, ref, watch, type Ref, type UnwrapRef } from 'vue'
import type { AgentKind, EndpointRole, EngineStatus } from '../../../../shared/contract'
import { useT } from '../../i18n/use-t'
import { endpointUrl } from '../../services/endpoints'
import { errorText } from '../../services/errors'
import type { Problem } from '../../services/provisioning-forms'
import { T7_SCOPE } from '../../services/tutorial7'
import { usePrefs } from '../../stores/prefs'
import { useStatus } from '../../stores/status'
import { useUi } from '../../stores/ui'
import type { Column } from './ItemRows.vue'
import { useFormProblems } from './use-form-problems'

export interface ItemFormOptions<F> {
  /** The values the form starts from (a prop: the form resets when it changes). */
  initial: () => F
  validate: (form: F) => Problem[]
  /** Sends the form to the engine; throws the engine's error, which the form then shows. */
  submit: (form: F) => Promise<void>
  /** The agent the form provisions on (its north API is the preview's address). */
  agent: () => AgentKind
}

/** Each agent's provisioning role in the engine status, and the address shown before the status is known. */
export const NORTH: Record<AgentKind, { role: EndpointRole; fallback: string }> = {
  ul: { role: 'iota-north', fallback: 'http://localhost:4042' },
  json: { role: 'iota-json-north', fallback: 'http://localhost:4041' }
}

/** The URL of an agent's provisioning API as the engine reports it. */
export function northUrl(status: EngineStatus | null, agent: AgentKind): string {
  return endpointUrl(status, NORTH[agent].role, NORTH[agent].fallback)
}

/**
 * What the group and device forms share: the edited copy, the problems in plain words, saving with
 * the engine's error shown, the tutorial preset (which also switches to the tutorial's tenant), the
 * address of the agent's north API for the curl preview and the columns of the attribute, command and static
 * attribute rows.
 */
export function useItemForm<F>(opts: ItemFormOptions<F>) {
  const { t } = useT()
  const prefs = usePrefs()
  const st = useStatus()
  const ui = useUi()

  // Form values are plain data, so the unwrapped type is the form's own (the casts say no more).
  const form = ref(structuredClone(opts.initial())) as Ref<UnwrapRef<F>>
  const plain = (): F => form.value as F
  const all = computed(() => opts.validate(plain()))
  const problems = useFormProblems(all)
  watch(opts.initial, (v) => {
    form.value = structuredClone(v) as UnwrapRef<F>
    problems.reset()
  })
  const saving = ref(false)
  const failure = ref('')
  const north = computed(() => northUrl(st.status, opts.agent()))

  async function save(): Promise<void> {
    problems.tried.value = true
    failure.value = ''
    if (all.value.length) return
    saving.value = true
    try {
      await opts.submit(plain())
    } catch (err) {
      failure.value = errorText(t, err)
    } finally {
      saving.value = false
    }
  }

  /** Fills the form with the tutorial's values, in the tutorial's tenant. */
  function usePreset(values: F): void {
    form.value = values as UnwrapRef<F>
    // A trainee of classroom mode keeps the own tenant (prefs.lockedService).
    const target = { service: prefs.lockedService ?? T7_SCOPE.service, servicePath: T7_SCOPE.servicePath }
    if (prefs.scope.service !== target.service || prefs.scope.servicePath !== target.servicePath) {
      prefs.setScope(target)
      ui.toast({ kind: 'info', text: t('prov.scopeSwitched', { service: target.service, path: target.servicePath }) })
    }
  }

  const attrColumns = computed<Column[]>(() => [
    { key: 'object_id', label: t('prov.objectId'), placeholder: 't', mono: true, width: '27%' },
    { key: 'name', label: t('prov.attrName'), placeholder: 'temperature', mono: true },
    { key: 'type', label: t('prov.attrType'), placeholder: 'Number', width: '30%', options: ['Number', 'Text', 'Boolean', 'Integer', 'DateTime', 'geo:point', 'StructuredValue'] }
  ])
  const cmdColumns = computed<Column[]>(() => [
    { key: 'name', label: t('prov.cmdName'), placeholder: 'switch', mono: true },
    { key: 'type', label: t('prov.attrType'), placeholder: 'command' }
  ])
  const staticColumns = computed<Column[]>(() => [
    { key: 'name', label: t('prov.attrName'), placeholder: 'refStore', mono: true },
    { key: 'type', label: t('prov.attrType'), placeholder: 'Relationship', width: '28%', options: ['Text', 'Number', 'Boolean', 'Relationship', 'StructuredValue'] },
    { key: 'value', label: t('prov.value'), placeholder: 'urn:ngsi-ld:Store:001', mono: true }
  ])

  return { form, all, problems, saving, failure, north, save, usePreset, attrColumns, cmdColumns, staticColumns }
}
