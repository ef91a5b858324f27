/**
 * Keyboard shortcuts. One listener on the window; views add their own keys while mounted.
 * Single-key shortcuts are ignored while the user types in a field. The help dialog lists SHORTCUTS.
 */
import { onActivated, onBeforeUnmount, onDeactivated, onMounted } from 'vue'
import type { MessageKey } from '../i18n'

export interface ShortcutInfo {
  keys: string
  what: MessageKey
  where: MessageKey
}

export const SHORTCUTS: ShortcutInfo[] = [
  { keys: '?', what: 'help.k.help', where: 'help.where.everywhere' },
  { keys: '1 … 7', what: 'help.k.views', where: 'help.where.everywhere' },
  { keys: '/', what: 'help.k.search', where: 'help.where.everywhere' },
  { keys: 'l', what: 'help.k.logs', where: 'help.where.everywhere' },
  { keys: 't', what: 'help.k.theme', where: 'help.where.everywhere' },
  { keys: 'Shift+L', what: 'help.k.language', where: 'help.where.everywhere' },
  { keys: 'Esc', what: 'help.k.close', where: 'help.where.everywhere' },
  { keys: 'n', what: 'help.k.new', where: 'help.where.provisioning' },
  { keys: 'Ctrl+Enter', what: 'help.k.save', where: 'help.where.provisioning' },
  { keys: 'p', what: 'help.k.pause', where: 'help.where.inspector' },
  { keys: 'Ctrl+Enter', what: 'help.k.publish', where: 'help.where.inspector' },
  { keys: '↑ ↓ PgUp PgDn Home End', what: 'help.k.move', where: 'help.where.lists' },
  { keys: 's', what: 'help.k.seed', where: 'help.where.simulator' }
]

type Handler = (e: KeyboardEvent) => void
const layers: Array<Record<string, Handler>> = []

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  const tag = el.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit', 'range'].includes((el as HTMLInputElement).type)
  return el.isContentEditable
}

/** The key as the tables above name it: `p`, `P` (shift), `Ctrl+Enter`, `?`. */
export function keyName(e: KeyboardEvent): string {
  const mods = (e.ctrlKey || e.metaKey ? 'Ctrl+' : '') + (e.altKey ? 'Alt+' : '')
  return mods + e.key
}

export function installShortcuts(global: Record<string, Handler>): () => void {
  const listener = (e: KeyboardEvent): void => {
    const name = keyName(e)
    const typing = isTyping(e.target)
    // Single keys belong to the field being typed in; combinations and Escape always work.
    if (typing && !name.startsWith('Ctrl+') && e.key !== 'Escape') return
    // A modal dialog has the keyboard (Escape closes it natively); only `?` still toggles help.
    if (document.querySelector('dialog[open]') && name !== '?') return
    for (let i = layers.length - 1; i >= 0; i--) {
      const h = layers[i]![name]
      if (h) {
        e.preventDefault()
        h(e)
        return
      }
    }
    const h = global[name]
    if (h) {
      e.preventDefault()
      h(e)
    }
  }
  window.addEventListener('keydown', listener)
  return () => window.removeEventListener('keydown', listener)
}

/** Keys of one view, active while it is shown (mounted, or activated when kept alive). */
export function useShortcuts(map: Record<string, Handler>): void {
  const add = (): void => {
    if (!layers.includes(map)) layers.push(map)
  }
  const remove = (): void => {
    const i = layers.indexOf(map)
    if (i >= 0) layers.splice(i, 1)
  }
  onMounted(add)
  onActivated(add)
  onDeactivated(remove)
  onBeforeUnmount(remove)
}
