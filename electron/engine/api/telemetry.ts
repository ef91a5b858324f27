import type { EngineApi } from '../../../shared/contract'
import type { TelemetryStore } from '../telemetry/telemetry-store'
import type { ContextAccess } from './context-access'

/** `telemetry.series`: the points recorded by the entity feed (see entity-feed.ts). */
export function telemetryArea(store: TelemetryStore, context: ContextAccess): Pick<EngineApi, 'telemetry.series'> {
  return {
    'telemetry.series': async ({ scope, entityId, entityType }) => {
      const found = store.series(scope.service, scope.servicePath, entityId, entityType)
      if (found) return found
      // An entity without numeric values (or none recorded yet) has empty series; an unknown
      // entity is Orion's NotFound, as for entities.get.
      const e = await context.getEntity(scope, entityId, entityType)
      return { entityId, entityType: String(e.type), series: {} }
    }
  }
}
