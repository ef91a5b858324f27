import type { Client } from 'aedes'

/**
 * Most inbound QoS 2 messages one connection may leave waiting for their PUBREL (Aedes 1.2.0's
 * `maxInflightInbound` default).
 */
export const MAX_INFLIGHT_INBOUND = 1000

/** The part of Aedes' persistence that holds inbound QoS 2 messages until their PUBREL. */
export interface IncomingStore {
  incomingStorePacket(client: Client, packet: { messageId?: number }): Promise<void>
  incomingDelPacket(client: Client, packet: { messageId?: number }): Promise<void>
}

/**
 * Aedes 2.0.0-beta.1 was cut before three fixes of Aedes 1.1.3 and 1.2.0 to this store; the same
 * guards are put around the persistence here:
 * - a connection may hold at most `max` QoS 2 messages without PUBREL; one more closes it (a
 *   client sending fresh message ids and never PUBREL would otherwise grow the store without end);
 * - a PUBREL whose message is already gone (two PUBRELs for one message in one read) is answered
 *   without the rejected promise escaping: in the beta it is unhandled and ends the process;
 * - what a clean session left waiting is dropped when its connection ends ([MQTT-3.1.2-6]).
 */
export class IncomingGuard {
  private readonly waiting = new WeakMap<Client, Set<number>>()
  /** The store's own delete, for the clean-up at disconnection. */
  private readonly deletePacket: IncomingStore['incomingDelPacket']

  constructor(
    private readonly store: IncomingStore,
    private readonly max = MAX_INFLIGHT_INBOUND
  ) {
    const storePacket = store.incomingStorePacket.bind(store)
    const delPacket = store.incomingDelPacket.bind(store)
    this.deletePacket = delPacket
    store.incomingStorePacket = async (client, packet) => {
      const id = packet.messageId ?? 0
      let ids = this.waiting.get(client)
      if (!ids) this.waiting.set(client, (ids = new Set()))
      if (!ids.has(id) && ids.size >= this.max) {
        throw new Error(`maxInflightInbound exceeded: ${this.max} inbound QoS 2 messages already awaiting PUBREL`)
      }
      ids.add(id)
      try {
        await storePacket(client, packet)
      } catch (err) {
        ids.delete(id)
        throw err
      }
    }
    store.incomingDelPacket = async (client, packet) => {
      try {
        await delPacket(client, packet)
      } catch {
        // Already deleted by a concurrent PUBREL: the PUBCOMP is owed all the same.
      }
      this.waiting.get(client)?.delete(packet.messageId ?? 0)
    }
  }

  /** A connection ended: a clean session's waiting messages go with it. */
  disconnected(client: Client): void {
    const ids = this.waiting.get(client)
    this.waiting.delete(client)
    if (!ids || !client.clean) return
    for (const messageId of ids) this.deletePacket(client, { messageId }).catch(() => undefined)
  }

  /** How many QoS 2 messages of `client` wait for their PUBREL (for tests and status). */
  waitingOf(client: Client): number {
    return this.waiting.get(client)?.size ?? 0
  }
}
