import { request as httpRequest } from 'node:http'
import type { Provisioning as ProvisioningT } from '../../electron/engine/agent/provisioning'
import { Provisioning } from '../../electron/engine/agent/provisioning'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { applyLiveSettings } from '../../electron/engine/config/live-settings'
import { SettingsStore } from '../../electron/engine/config/settings-store'
import type { IotaConfig } from '../../electron/engine/config/types'
import { Logger } from '../../electron/engine/log/logger'
import { createNorthApp } from '../../electron/engine/north/iota/app'
import { serveHttp } from '../../electron/engine/north/http-service'
import { Registry } from '../../electron/engine/registry/registry'
import { RecordingContextBroker } from './recording-context-broker'
import { RecordingContextProvider } from './recording-context-provider'
import { tempDir } from './temp-dir'

/** The seed tutorial's tenant headers. */
export const TENANT = { 'fiware-service': 'openiot', 'fiware-servicepath': '/' } as const
export const JSON_TENANT = { ...TENANT, 'content-type': 'application/json' } as const

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON is untyped by nature: the tests' assertions are what check its shape
  body: any
}

/**
 * One HTTP request with node:http, the path sent exactly as given (fetch would normalise `//op/update`).
 * A non-string body is sent as JSON.
 */
export function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(payload !== undefined && { 'content-length': Buffer.byteLength(payload) }) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        let parsed: unknown
        try {
          parsed = text ? JSON.parse(text) : undefined
        } catch {
          parsed = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed })
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

export interface NorthHarness {
  port: number
  cb: RecordingContextBroker
  provider: RecordingContextProvider
  registry: Registry
  provisioning: ProvisioningT
  logger: Logger
  dataDir: string
  /** Request to the north API with the given headers. */
  call(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<Answer>
  close(): Promise<void>
}

/** The north API over real HTTP on an ephemeral port, with a real registry in a temporary folder. */
export async function startNorth(iota: Partial<IotaConfig> = {}): Promise<NorthHarness> {
  const dir = tempDir('ulcc-north-')
  const logger = new Logger('INFO', 100)
  const registry = await Registry.open({ dataDir: dir.path }, logger)
  const cb = new RecordingContextBroker()
  const provider = new RecordingContextProvider()
  // Read only while serving (the provider URL, `/iot/about`), once `service` below is set.
  const port = (): number => service.bound[0]?.port ?? 0
  const engineConfig = defaultConfig(dir.path)
  Object.assign(engineConfig.iota, iota)
  const config = engineConfig.iota
  // The engine's settings store: `/admin/log` changes the level through it, the logger follows.
  const settings = new SettingsStore(engineConfig)
  applyLiveSettings(settings, { logger })
  const provisioning = new Provisioning({ registry, contextBroker: cb, iota: config, providerUrl: () => `http://localhost:${port()}`, logger })
  const app = createNorthApp({ provisioning, registry, provider, logger, settings, northPort: port, bodyLimit: config.bodyLimit })
  const service = await serveHttp(app, ['127.0.0.1'], 0, 'IoT Agent UltraLight north API')
  return {
    port: port(),
    cb,
    provider,
    registry,
    provisioning,
    logger,
    dataDir: dir.path,
    call: (method, path, headers, body) => send(port(), method, path, headers, body),
    close: async () => {
      await service.close()
      await provisioning.settle()
      await registry.close()
      dir.cleanup()
    }
  }
}
