import { Provisioning } from '../../../electron/engine/agent/provisioning'
import { defaultConfig } from '../../../electron/engine/config/defaults'
import type { IotaConfig } from '../../../electron/engine/config/types'
import type { Scope } from '../../../electron/engine/context/types'
import { Logger } from '../../../electron/engine/log/logger'
import { Registry } from '../../../electron/engine/registry/registry'
import { RecordingContextBroker } from '../../helpers/recording-context-broker'
import { tempDir } from '../../helpers/temp-dir'

export const SCOPE: Scope = { service: 'openiot', servicePath: '/' }
export const PROVIDER_URL = 'http://localhost:4042'

export interface ProvisioningFixture {
  provisioning: Provisioning
  registry: Registry
  cb: RecordingContextBroker
  logger: Logger
  reopen(): Promise<Registry>
  close(): Promise<void>
}

/** A Provisioning on a real registry in a temporary folder, with a recording context broker. */
export async function provisioningFixture(iota: Partial<IotaConfig> = {}): Promise<ProvisioningFixture> {
  const dir = tempDir('ulcc-prov-')
  const logger = new Logger('DEBUG', 500)
  const cb = new RecordingContextBroker()
  const config = { ...defaultConfig(dir.path).iota, ...iota }
  const fixture: ProvisioningFixture = {
    registry: await Registry.open({ dataDir: dir.path }, logger),
    cb,
    logger,
    provisioning: undefined as unknown as Provisioning,
    reopen: async () => {
      await fixture.provisioning.settle()
      await fixture.registry.close()
      fixture.registry = await Registry.open({ dataDir: dir.path }, logger)
      fixture.provisioning = make()
      return fixture.registry
    },
    close: async () => {
      await fixture.provisioning.settle()
      await fixture.registry.close()
      dir.cleanup()
    }
  }
  const make = (): Provisioning =>
    new Provisioning({ registry: fixture.registry, contextBroker: cb, iota: config, providerUrl: () => PROVIDER_URL, logger })
  fixture.provisioning = make()
  return fixture
}

/** Resolves to the IotaError a promise rejects with (or fails if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ status: number; name: string; message: string }> {
  try {
    await p
  } catch (err) {
    return err as { status: number; name: string; message: string }
  }
  throw new Error('expected a rejection')
}
