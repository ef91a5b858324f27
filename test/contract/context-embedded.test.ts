import { EmbeddedContextBroker } from '../../electron/engine/context/embedded/broker'
import { entityText } from '../../electron/engine/context/embedded/render'
import { EmbeddedContextClient } from '../../electron/engine/context/embedded-client'
import { NgsiError } from '../../electron/engine/context/types'
import { silentLogger } from '../../electron/engine/log/logger'
import { tempDir } from '../helpers/temp-dir'
import { contextClientContract, type AppliedChange } from './context-client.contract'

/** The embedded client over the in-process broker; its change events are the broker's record. */
contextClientContract('embedded (in-process broker)', async () => {
  const dir = tempDir('ulcc-ctx-embedded-')
  const broker = await EmbeddedContextBroker.open({
    dataDir: dir.path,
    persistence: { flushIntervalMs: 1000, commitDelayMs: 5, compactionIntervalMs: 600_000 },
    logger: silentLogger()
  })
  const changes: AppliedChange[] = []
  broker.onChange((c) => {
    const attrs: Record<string, unknown> = {}
    for (const name of c.attrs) attrs[name] = c.entity.attrs.get(name)?.value
    changes.push({ tenant: c.service, servicePath: c.servicePath, id: c.id, type: c.type, attrs })
  })
  const client = new EmbeddedContextClient(broker)
  return {
    client,
    entity: async (scope, id, type) => {
      try {
        const view = await broker.getEntity({ service: scope.service, servicePaths: [scope.servicePath] }, { id, type })
        return JSON.parse(entityText(view, 'normalized')) as Record<string, unknown>
      } catch (err) {
        if (err instanceof NgsiError && err.status === 404) return undefined
        throw err
      }
    },
    changes: async () => changes,
    // The embedded client applies every update before upsert() returns.
    settled: async () => {},
    teardown: async () => {
      await client.close()
      await broker.close()
      dir.cleanup()
    }
  }
})
