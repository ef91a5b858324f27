/**
 * The tutorials' Docker host names and the app's built-in services they stand for
 * (docs/compatibility/tutorial-services.md). The engine routes to these services; the GUI names them.
 */

/** A built-in service a tutorial host name can be routed to: the key of its port in the settings (`ports.*`). */
export type TutorialService = 'ngsi' | 'north' | 'jsonNorth' | 'south' | 'contextProvider' | 'devices' | 'cygnus' | 'cygnusApi' | 'sth'

/** Where a request to a tutorial host name went instead: shown by the trace's notification and forwarding hops. */
export interface TutorialRouteDto {
  /** The tutorial host name that does not resolve on this computer (`cygnus`). */
  host: string
  /** The built-in service that got the request. */
  service: TutorialService
  /** The URL actually requested (`http://127.0.0.1:5050/notify`). */
  url: string
}
