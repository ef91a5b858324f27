/** The agent's rejection codes in plain words. */
import { k, type MessageKey } from '../../i18n'

const REASONS: Record<string, MessageKey> = {
  NO_GROUP: k('reject.NO_GROUP'),
  DEVICE_NOT_FOUND: k('reject.DEVICE_NOT_FOUND'),
  AUTOPROVISION_DISABLED: k('reject.AUTOPROVISION_DISABLED'),
  COMMAND_NOT_FOUND: k('reject.COMMAND_NOT_FOUND'),
  PARSE_ERROR: k('reject.PARSE_ERROR'),
  BAD_TIMESTAMP: k('reject.BAD_TIMESTAMP'),
  UPDATE_FAILED: k('reject.UPDATE_FAILED')
}

const FIXES: Record<string, MessageKey> = {
  NO_GROUP: k('reject.fix.NO_GROUP'),
  DEVICE_NOT_FOUND: k('reject.fix.DEVICE_NOT_FOUND'),
  AUTOPROVISION_DISABLED: k('reject.fix.AUTOPROVISION_DISABLED'),
  COMMAND_NOT_FOUND: k('reject.fix.COMMAND_NOT_FOUND'),
  PARSE_ERROR: k('reject.fix.PARSE_ERROR'),
  BAD_TIMESTAMP: k('reject.fix.BAD_TIMESTAMP')
}

export function rejectionReason(code: string): MessageKey {
  return REASONS[code] ?? (code.startsWith('NGSI_') ? k('reject.NGSI') : k('reject.other'))
}

export function rejectionFix(code: string): MessageKey | null {
  return FIXES[code] ?? null
}
