import type { FastifyInstance } from 'fastify'
import type { EngineConfig } from './config/types'
import type { Logger } from './log/logger'
import { BoundServices, TutorialHosts } from './net/tutorial-hosts'
import type { HttpHostCheck, HttpService } from './north/http-service'
import { createContextProviderApp } from './tutorial-services/context-provider'

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
}

/**
 * Serves the tutorials' services and records where they are bound. A port already in use does not
 * stop the engine: the service is left out with a warning (port 5000 is taken by the AirPlay
 * Receiver on recent macOS), and requests to its host name are not routed.
 */
export async function serveTutorialServices(config: EngineConfig, logger: Logger, routing: TutorialRouting, serve: ServeApp, hostCheck: HttpHostCheck): Promise<TutorialServices> {
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
  return { contextProvider }
}
