import { IotaError } from './types'

/**
 * The provisioning API's error catalogue (docs/compatibility/iot-agent-ul.md §1.1): the FIWARE name, the HTTP
 * status the real agent answers with, and a message in the spirit of iotagent-node-lib's. Clients
 * (and our tests) rely on `name` and the status, never on the message text.
 */
export const iotaErrors = {
  missingHeaders: (missing: string[]): IotaError =>
    new IotaError(400, 'MISSING_HEADERS', `Some headers were missing from the request: ${JSON.stringify(missing)}`),

  wrongSyntax: (detail: string): IotaError => new IotaError(400, 'WRONG_SYNTAX', `Wrong syntax in request: ${detail}`),

  missingAttributes: (missing: string[]): IotaError =>
    new IotaError(400, 'MISSING_ATTRIBUTES', `The request was not well formed: missing attributes ${JSON.stringify(missing)}`),

  missingConfigParams: (missing: string[]): IotaError =>
    new IotaError(400, 'MISSING_CONFIG_PARAMS', `The following mandatory configuration parameters were missing: ${JSON.stringify(missing)}`),

  badRequest: (message: string): IotaError => new IotaError(400, 'BAD_REQUEST', message),

  /** The context broker refused a request with a status other than 500. */
  brokerRefused: (status: number): IotaError =>
    new IotaError(400, 'BAD_REQUEST', `Request error connecting to the Context Broker: ${status}`),

  duplicateGroup: (resource: string, apikey: string): IotaError =>
    new IotaError(409, 'DUPLICATE_GROUP', `A device configuration already exists for resource ${JSON.stringify(resource)} and API Key ${apikey}`),

  duplicateDevice: (deviceId: string, apikey: string | undefined, service: string, subservice: string): IotaError =>
    new IotaError(
      409,
      'DUPLICATE_DEVICE_ID',
      `A device with the same info (DeviceId, ApiKey, Service, Subservice) was found: ${deviceId} and ${JSON.stringify({ apikey, service, subservice })}`
    ),

  deviceNotFound: (deviceId: string, info: Record<string, unknown>): IotaError =>
    new IotaError(404, 'DEVICE_NOT_FOUND', `No device was found with id:${deviceId} and ${JSON.stringify(info)}`),

  groupNotFound: (fields: Record<string, unknown>): IotaError =>
    new IotaError(404, 'DEVICE_GROUP_NOT_FOUND', `Couldn't find device group for fields: ${JSON.stringify(fields)}`),

  mismatchedService: (): IotaError => new IotaError(403, 'MISMATCHED_SERVICE', "The declared service didn't match the stored one in the entity"),

  registration: (deviceId: string, type: string): IotaError =>
    new IotaError(500, 'REGISTRATION_ERROR', `Error registering context provider for device: ${deviceId} of type: ${type}`),

  unregistration: (deviceId: string, type: string): IotaError =>
    new IotaError(500, 'UNREGISTRATION_ERROR', `Error unregistering context provider for device: ${deviceId} of type: ${type}`),

  entityGeneric: (status: number, deviceId: string, type: string, detail: string): IotaError =>
    new IotaError(status, 'ENTITY_GENERIC_ERROR', `Error accesing entity data for device: ${deviceId} of type: ${type}: ${detail}`),

  internalDb: (detail: string): IotaError => new IotaError(500, 'INTERNAL_DB_ERROR', `An internal DB Error happened: ${detail}`)
}
