/** Delete with a confirmation first and an undo afterwards (the record is re-created as it was). */
import { ref } from 'vue'
import { k } from '../../i18n'
import { useT } from '../../i18n/use-t'
import { errorText } from '../../services/errors'
import type { DeviceDto, GroupDto } from '../../../../shared/contract'
import { recreateDevice, recreateGroup } from '../../services/provisioning-forms'
import { usePrefs } from '../../stores/prefs'
import { useProvisioning } from '../../stores/provisioning'
import { useUi } from '../../stores/ui'

export type PendingDelete = { kind: 'group'; record: GroupDto; label: string } | { kind: 'device'; record: DeviceDto; label: string }

export function useDelete() {
  const { t } = useT()
  const prov = useProvisioning()
  const prefs = usePrefs()
  const ui = useUi()
  const pending = ref<PendingDelete | null>(null)

  function ask(kind: 'group', record: GroupDto): void
  function ask(kind: 'device', record: DeviceDto): void
  function ask(kind: 'group' | 'device', record: GroupDto | DeviceDto): void {
    if (kind === 'group' && 'apikey' in record && 'resource' in record) pending.value = { kind, record, label: record.apikey }
    else if (kind === 'device' && 'device_id' in record) pending.value = { kind, record, label: record.device_id }
  }

  async function confirm(): Promise<void> {
    const p = pending.value
    pending.value = null
    if (!p) return
    const scope = { ...prefs.scope }
    // The undo restores into the agent the record was deleted from, whichever the page shows by then.
    const agent = prov.agent
    try {
      if (p.kind === 'group') await prov.deleteGroup(p.record.resource, p.record.apikey, agent)
      else await prov.deleteDevice(p.record.device_id, agent)
    } catch (err) {
      ui.toast({ kind: 'error', text: errorText(t, err) })
      return
    }
    ui.toast({
      kind: 'success',
      text: t(p.kind === 'group' ? k('prov.groupDeleted') : k('prov.deviceDeleted'), { id: p.label }),
      timeoutMs: 10_000,
      action: {
        label: t('common.undo'),
        run: async () => {
          try {
            if (p.kind === 'group') await prov.createGroup(recreateGroup(p.record), scope, agent)
            else await prov.createDevice(recreateDevice(p.record), scope, agent)
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
