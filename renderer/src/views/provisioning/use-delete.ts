/** Delete with a confirmation first and an undo afterwards (the record is re-created as it was). */
import { ref } from 'vue'
import { k } from '../../i18n'
import { useT } from '../../i18n/use-t'
import { errorText } from '../../services/errors'
import { recreateItem } from '../../services/provisioning-forms'
import { usePrefs } from '../../stores/prefs'
import { useProvisioning, type Row } from '../../stores/provisioning'
import { useUi } from '../../stores/ui'

export interface PendingDelete {
  kind: 'group' | 'device'
  record: Row
  label: string
}

export function useDelete() {
  const { t } = useT()
  const prov = useProvisioning()
  const prefs = usePrefs()
  const ui = useUi()
  const pending = ref<PendingDelete | null>(null)

  function ask(kind: 'group' | 'device', record: Row): void {
    const label = kind === 'group' ? String(record.apikey ?? '') : String(record.device_id ?? '')
    pending.value = { kind, record, label }
  }

  async function confirm(): Promise<void> {
    const p = pending.value
    pending.value = null
    if (!p) return
    const scope = { ...prefs.scope }
    try {
      if (p.kind === 'group') await prov.deleteGroup(String(p.record.resource ?? ''), String(p.record.apikey ?? ''))
      else await prov.deleteDevice(String(p.record.device_id ?? ''))
    } catch (err) {
      ui.toast({ kind: 'error', text: errorText(t, err) })
      return
    }
    const item = recreateItem(p.record, p.kind)
    ui.toast({
      kind: 'success',
      text: t(p.kind === 'group' ? k('prov.groupDeleted') : k('prov.deviceDeleted'), { id: p.label }),
      timeoutMs: 10_000,
      action: {
        label: t('common.undo'),
        run: async () => {
          try {
            if (p.kind === 'group') await prov.createGroup(item, scope)
            else await prov.createDevice(item, scope)
            ui.toast({ kind: 'success', text: t('prov.restored', { id: p.label }) })
          } catch (err) {
            ui.toast({ kind: 'error', text: errorText(t, err) })
          }
        }
      }
    })
  }

  return { pending, ask, confirm, cancel: () => (pending.value = null) }
}
