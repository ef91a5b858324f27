import type { EngineApi } from '../../../shared/contract'
import type { ContextAccess } from './context-access'

/** `entities.list` and `entities.get` (the `entities` stream is fed by entity-feed.ts). */
export function entitiesArea(context: ContextAccess): Pick<EngineApi, 'entities.list' | 'entities.get'> {
  return {
    'entities.list': ({ scope, type, limit, offset }) => context.listEntities(scope, { type, limit, offset }),
    'entities.get': ({ scope, id, type }) => context.getEntity(scope, id, type)
  }
}
