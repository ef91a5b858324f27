import type { EngineApi, ReceivedNotificationDto } from '../../../shared/contract'
import type { ContextSide } from '../compose-context'
import { Batcher, type EventHub } from './events'

/** Notifications carried by one `notifications` batch; the others of the period are read with notifications.recent. */
export const NOTIFICATIONS_BATCH = 100

/**
 * `notifications.recent` and the `notifications` stream: what the embedded context broker's
 * built-in receiver got (docs/compatibility/ngsi-v2.md, "Notifications to the tutorials' host
 * names"). The stream listens to the receiver only while someone listens to it, and sends at most
 * ten batches a second. With an external Orion there is no built-in receiver (Orion sends its own
 * notifications): the list is empty and the stream silent.
 */
export function notificationsArea(context: ContextSide, hub: EventHub): Pick<EngineApi, 'notifications.recent'> {
  const receiver = context.mode === 'embedded' ? context.broker.receiver : null
  if (receiver) {
    hub.whileListened(['notifications'], () => {
      const batcher = new Batcher<ReceivedNotificationDto>((items) => hub.emit('notifications', items), NOTIFICATIONS_BATCH)
      const off = receiver.onReceive((n) => batcher.push(n))
      return () => {
        off()
        batcher.close()
      }
    })
  }
  return {
    'notifications.recent': async ({ service, limit }) => receiver?.recent({ service, limit }) ?? []
  }
}
