import type { EntityDto } from '../../../shared/contract'
import type { ChangeListener } from '../context/embedded/entity-store'
import { entityText } from '../context/embedded/render'
import type { Scope } from '../context/types'
import { entityDto } from './entity-dto'
import type { ContextSide } from '../compose'

type Entity = EntityDto

/**
 * The context broker as the GUI reads it, embedded or external: the embedded broker is called
 * directly; an external Orion through the engine's HTTP client of it, as any NGSI-v2 client would.
 * Entities are returned in normalized NGSI-v2 form in both cases.
 */
export interface ContextAccess {
  listEntities(scope: Scope, q: { type?: string; limit?: number; offset?: number }): Promise<{ count: number; entities: Entity[] }>
  getEntity(scope: Scope, id: string, type?: string): Promise<Entity>
  /** How a client of Orion sends a command: an update of the command attribute, forwarded to the agent. */
  sendCommand(scope: Scope, id: string, type: string, command: string, value: unknown): Promise<void>
  /**
   * Change events of the entities (embedded broker only: an external Orion tells nothing without
   * subscriptions, so the entities and telemetry streams stay silent then). Returns the unsubscribe.
   */
  onChange(listener: ChangeListener): () => void
}

const normalized = (v: Parameters<typeof entityText>[0]): Entity => entityDto(JSON.parse(entityText(v, 'normalized')))
const query = (scope: Scope) => ({ service: scope.service, servicePaths: [scope.servicePath] })

export function contextAccess(side: ContextSide): ContextAccess {
  if (side.mode === 'embedded') {
    const cb = side.broker
    return {
      listEntities: async (scope, q) => {
        const r = await cb.queryEntities(query(scope), { selector: q.type ? { types: [q.type] } : {}, limit: q.limit ?? 100, offset: q.offset })
        return { count: r.count, entities: r.entities.map(normalized) }
      },
      getEntity: async (scope, id, type) => normalized(await cb.getEntity(query(scope), { id, type })),
      sendCommand: (scope, id, type, command, value) =>
        cb.updateAttributes({ service: scope.service, servicePath: scope.servicePath }, { id, type }, { [command]: { type: 'command', value } }),
      onChange: (listener) => cb.onChange(listener)
    }
  }
  const orion = side.orion
  return {
    listEntities: async (scope, q) => {
      const r = await orion.listEntities(scope, q)
      return { count: r.count, entities: r.entities.map(entityDto) }
    },
    getEntity: async (scope, id, type) => entityDto(await orion.getEntity(scope, id, type)),
    sendCommand: (scope, id, type, command, value) => orion.updateAttributes(scope, id, type, { [command]: { type: 'command', value } }),
    onChange: () => () => {}
  }
}
