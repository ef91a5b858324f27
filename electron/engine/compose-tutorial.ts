import type { FastifyInstance } from 'fastify'
import type { EngineConfig } from './config/types'
import type { Logger } from './log/logger'
import { BoundServices, TutorialHosts } from './net/tutorial-hosts'
import type { HttpHostCheck, HttpService } from './north/http-service'
import { createContextProviderApp } from './tutorial-services/context-provider'
import type { HttpDeviceLookup } from './tutorial-services/http-device-lookup'
import { HttpDevices, southBaseUrl } from './tutorial-services/http-devices'
import { createHttpDevicesApp } from './tutorial-services/http-devices-app'

/**
 * The tutorials' services built in (docs/compatibility/tutorial-services.md) and the routing of
 * the tutorials' host names to them (net/tutorial-hosts.ts), for compose.ts.
 */

/** The routing of tutorial host names: built before the context broker, which sends through it. */
export interface TutorialRouting {
  /** Where each built-in service is bound; whoever serves one sets it (`bound.set('cygnus', svc.bound)`). */
  readonly bound: BoundServices
  /** The resolver every outgoing request of the engine asks (`route(url)`). */
  readonly hosts: TutorialHosts
}

export function tutorialRouting(config: EngineConfig): TutorialRouting {
  const bound = new BoundServices()
  // Read at each request: the setting applies live (config/settings-store.ts).
  const hosts = new TutorialHosts({ enabled: () => config.tutorialHosts, address: bound.address })
  return { bound, hosts }
}

/** compose.ts's way of serving an HTTP app: bound on config.hosts, closed by the teardown. */
export type ServeApp = (app: FastifyInstance, port: number, what: string, hostCheck: HttpHostCheck) => Promise<HttpService>

export interface TutorialServices {
  /** Tutorial 4's context provider (ports.contextProvider); none when its port is taken. */
  readonly contextProvider: HttpService | undefined
  /** The tutorials' HTTP dummy devices (ports.devices), their server and their state; none when the port is taken. */
  readonly devices: { readonly service: HttpService; readonly state: HttpDevices } | undefined
}

/** What the built-in HTTP devices need from the agents: which provisioned devices a path stands for. */
export interface TutorialDevicesSource {
  /** The agents' registries joined (tutorial-services/http-device-lookup.ts). */
  lookup: HttpDeviceLookup
}

/**
 * Serves the tutorials' services and records where they are bound. A port already in use does not
 * stop the engine: the service is left out with a warning (port 5000 is taken by the AirPlay
 * Receiver on recent macOS), and requests to its host name are not routed.
 */
export async function serveTutorialServices(config: EngineConfig, logger: Logger, routing: TutorialRouting, serve: ServeApp, hostCheck: HttpHostCheck, source: TutorialDevicesSource): Promise<TutorialServices> {
  const app = createContextProviderApp({ log: logger.child('context-provider') })
  let contextProvider: HttpService | undefined
  try {
    contextProvider = await serve(app, config.ports.contextProvider, 'Context provider', hostCheck)
    routing.bound.set('contextProvider', contextProvider.bound)
  } catch (err) {
    if ((err as Error & { cause?: NodeJS.ErrnoException }).cause?.code !== 'EADDRINUSE') throw err
    await app.close()
    logger.write('WARN', 'engine', 'LISTEN_SKIPPED', `${(err as Error).message}; tutorial 4's context provider is off (choose another port with --context-provider-port)`)
  }
  // The HTTP dummy devices post their measures to the south port, wherever it is bound (docs/compatibility/tutorial-services.md §4.3).
  const state = new HttpDevices({ lookup: source.lookup, southUrl: () => southBaseUrl(routing.bound.address('south')), log: logger.child('http-devices') })
  const devicesApp = createHttpDevicesApp({ devices: state, log: logger.child('http-devices') })
  let devices: TutorialServices['devices']
  try {
    const service = await serve(devicesApp, config.ports.devices, 'HTTP devices', hostCheck)
    routing.bound.set('devices', service.bound)
    devices = { service, state }
  } catch (err) {
    if ((err as Error & { cause?: NodeJS.ErrnoException }).cause?.code !== 'EADDRINUSE') throw err
    await devicesApp.close()
    logger.write('WARN', 'engine', 'LISTEN_SKIPPED', `${(err as Error).message}; the built-in HTTP devices (dummy-device) are off (choose another port with --devices-port)`)
  }
  return { contextProvider, devices }
}
