/** Engine errors in plain words: a translation key for the known FIWARE names, the message otherwise. */
import type { ApiErrorDto } from '../../../shared/contract'
import { k, type MessageKey } from '../i18n'

const KNOWN: Record<string, MessageKey> = {
  DUPLICATE_GROUP: k('err.DUPLICATE_GROUP'),
  DUPLICATE_DEVICE_ID: k('err.DUPLICATE_DEVICE_ID'),
  DEVICE_NOT_FOUND: k('err.DEVICE_NOT_FOUND'),
  DEVICE_GROUP_NOT_FOUND: k('err.DEVICE_GROUP_NOT_FOUND'),
  MISSING_ATTRIBUTES: k('err.MISSING_ATTRIBUTES'),
  MISSING_CONFIG_PARAMS: k('err.MISSING_CONFIG_PARAMS'),
  WRONG_SYNTAX: k('err.WRONG_SYNTAX'),
  BAD_REQUEST: k('err.BAD_REQUEST'),
  NotFound: k('err.NotFound'),
  NO_ENGINE: k('err.NO_ENGINE'),
  NOT_IMPLEMENTED: k('err.NOT_IMPLEMENTED'),
  FORBIDDEN: k('err.FORBIDDEN')
}

export function errorKey(err: ApiErrorDto): MessageKey {
  return KNOWN[err.name] ?? k('err.generic')
}

export function errorParams(err: ApiErrorDto): Record<string, string> {
  return { name: err.name, message: err.message }
}

export function errorText(t: (key: MessageKey, params?: Record<string, unknown>) => string, err: unknown): string {
  const e = (err && typeof err === 'object' ? err : { name: 'Error', message: String(err) }) as ApiErrorDto
  return t(errorKey(e), errorParams(e))
}
