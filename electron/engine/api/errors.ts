import type { ApiErrorDto } from '../../../shared/contract'
import { NgsiError } from '../context/types'
import { IotaError } from '../registry/types'

/** A request the engine API refuses by itself (not through the agent's or the broker's rules). */
export class ApiRequestError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

/** An error as both transports report it: the FIWARE name and status when there is one. */
export function toApiError(err: unknown): ApiErrorDto {
  if (err instanceof IotaError) return { name: err.name, message: err.message, status: err.status }
  if (err instanceof NgsiError) return { name: err.error, message: err.description, status: err.status }
  if (err instanceof ApiRequestError) return { name: err.name, message: err.message, status: err.status }
  const e = err as Error & { status?: number; error?: string; description?: string }
  if (e && typeof e.error === 'string' && typeof e.status === 'number') return { name: e.error, message: e.description ?? e.message, status: e.status }
  if (e && typeof e.status === 'number') return { name: e.name, message: e.message, status: e.status }
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err) }
}
