import type { EngineBridge } from '../../shared/contract'

declare global {
  interface Window {
    /**
     * The engine, as the Electron preload exposes it. A failed request rejects with an object
     * carrying `name` (FIWARE error name), `message` and, when there is one, `status`.
     */
    ulcc: EngineBridge
  }
}
