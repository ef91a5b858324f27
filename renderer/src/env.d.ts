/// <reference types="vite/client" />
import type { EngineBridge } from '../../shared/contract'

declare global {
  interface Window {
    /**
     * The engine, as the Electron preload exposes it (absent in a plain browser, where the
     * WebSocket bridge is used). A failed request rejects with an object carrying `name` (FIWARE
     * error name), `message` and, when there is one, `status`.
     */
    ulcc?: EngineBridge
  }
}
