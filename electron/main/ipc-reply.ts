import type { ApiErrorDto } from '../../shared/contract'

/**
 * What main answers on the request channel. Errors travel as data: an exception thrown in a
 * handler would reach the renderer as a bare "Error invoking remote method" string, without the
 * FIWARE name or HTTP status the GUI shows.
 */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorDto }

/** The name, message and status of whatever a request threw (IotaError and friends carry them). */
export function toApiError(err: unknown): ApiErrorDto {
  if (err instanceof Error) {
    const status = (err as { status?: unknown }).status
    const name = err.name && err.name !== 'Error' ? err.name : 'INTERNAL_ERROR'
    return typeof status === 'number' ? { name, message: err.message, status } : { name, message: err.message }
  }
  return { name: 'INTERNAL_ERROR', message: String(err) }
}
