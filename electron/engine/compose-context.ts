import type { EngineConfig } from './config/types'
import { EmbeddedContextBroker } from './context/embedded/broker'
import { EmbeddedContextClient } from './context/embedded-client'
import { ExternalContextClient } from './context/external/external-client'
import { readCaFile } from './context/external/http-transport'
import type { OrionClient } from './context/external/orion-client'
import type { Logger } from './log/logger'
import type { TutorialHosts } from './net/tutorial-hosts'
import type { Teardown } from './compose-teardown'
import type { Tracer } from './trace/tracer'

/**
 * The context broker of this engine, in one object: the embedded NGSI-v2 broker (served on the
 * NGSI port, called directly by the agent and the GUI) or an external Orion (reached over HTTP:
 * the agent through a durable queue, the GUI through the HTTP client). This is the one place the
 * configured mode is read; everything else asks `mode` of this object.
 */
export type ContextSide =
  | {
      readonly mode: 'embedded'
      /** The embedded broker, served on the NGSI port. */
      readonly broker: EmbeddedContextBroker
      /** The agent's client of it. */
      readonly client: EmbeddedContextClient
    }
  | {
      readonly mode: 'external'
      /** Base URL of the external Orion. */
      readonly url: string
      /** The agent's client of Orion (queued updates, registrations). */
      readonly client: ExternalContextClient
      /** The HTTP client of Orion, for the GUI's reads and commands. */
      readonly orion: OrionClient
    }

/**
 * Opens the configured context broker side. What it opens is put in `teardown` at once, so that a
 * start failing later closes it (the client before the embedded broker it writes to).
 */
export async function openContextSide(config: EngineConfig, logger: Logger, teardown: Teardown, tracer?: Tracer, tutorialHosts?: TutorialHosts): Promise<ContextSide> {
  const cb = config.contextBroker
  if (cb.mode === 'external') {
    const ca = await readCaFile(cb.caFile)
    const client = await ExternalContextClient.open({
      url: cb.url,
      dataDir: config.dataDir,
      logger,
      flushIntervalMs: config.persistence.flushIntervalMs,
      commitDelayMs: config.persistence.commitDelayMs,
      queueMaxUpdates: cb.queueMaxUpdates,
      queueMaxBytes: cb.queueMaxBytes,
      timeoutMs: cb.timeoutMs,
      retryMaxMs: cb.retryMaxMs,
      tracer,
      auth: cb.auth,
      ca
    })
    // Work still running on the client (a registration resync) ends quickly once it is closed:
    // its requests are aborted.
    teardown.defer('context broker client', async () => {
      await client.close()
      await teardown.settleTasks()
    })
    return { mode: 'external', url: cb.url, client, orion: client.orion }
  }
  const broker = await EmbeddedContextBroker.open({ dataDir: config.dataDir, persistence: config.persistence, logger, tracer, tutorialHosts })
  teardown.defer('context broker', () => broker.close())
  const client = new EmbeddedContextClient(broker, tracer)
  teardown.defer('context broker client', async () => {
    await client.close()
    await teardown.settleTasks()
  })
  return { mode: 'embedded', broker, client }
}
