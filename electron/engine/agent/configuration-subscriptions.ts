import type { MqttBroker } from '../broker/types'
import type { MqttPublishConfig } from '../config/types'
import type { Scope, SubscriptionRequest } from '../context/types'
import type { SourceLogger } from '../log/logger'
import { ulProtocol, type AgentProtocolCodec } from '../agent-protocol'
import { ProviderError } from './context-provider'
import type { DeviceResolver } from './device-resolver'
import type { EffectiveDevice } from './effective-device'
import { configurationValuesTopic } from './topics'

/**
 * Configuration by subscription (docs/compatibility/iot-agent-ul.md §3.5): a device that sends
 * `subscription|a|b` on `…/configuration/commands` gets a context-broker subscription to those
 * attributes of its entity, notified to the agent's `POST /notify`; every notification is
 * published to the device on `/<apikey>/<deviceId>/configuration/values` as
 * `<deviceId>@configuration|a=<v>|dt=…`, the answer format of `configuration|a|b`.
 */

/** The subscription iotagent-ul asks for (the library's NGSI-v2 subscribe, without `attrsFormat`, which UL drops). */
export function configurationSubscription(dev: EffectiveDevice, attributes: string[], providerUrl: string): SubscriptionRequest {
  return {
    description: `Managed by IOTA: ${dev.entityId} ${dev.entityType} ${attributes.join(',')}`,
    subject: {
      entities: [{ id: dev.entityId, type: dev.entityType }],
      condition: { attrs: [...attributes] }
    },
    notification: {
      http: { url: `${providerUrl}/notify` },
      attrs: [...attributes],
      onlyChangedAttrs: true
    }
  }
}

/** One entity of a notification (`data[i]`): id, type and attributes in normalized form. */
export type NotifiedEntity = { id: string; type?: string } & Record<string, unknown>

/** The body of an NGSI-v2 notification, as checked by the north API. */
export interface Notification {
  subscriptionId: string
  data: NotifiedEntity[]
}

/** Who the north API hands `POST /notify` to. */
export interface NotificationReceiver {
  /** Resolves once the values are on their way to the devices; rejects with ProviderError (404 DEVICE_NOT_FOUND). */
  notify(scope: Scope, notification: Notification): Promise<void>
}

export interface ConfigurationNotificationsDeps {
  resolver: DeviceResolver
  broker: MqttBroker
  publish: MqttPublishConfig
  logger: SourceLogger
  /** How the agent writes configuration values (UltraLight `<id>@configuration|…`, JSON `{…,"dt":…}`); default UltraLight. */
  protocol?: AgentProtocolCodec
}

/** The library's DeviceNotFound text for a lookup by entity name, type and tenant. */
function deviceNotFound(id: string, type: string | undefined, scope: Scope): ProviderError {
  const query: Record<string, string> = { name: id, service: scope.service, subservice: scope.servicePath }
  if (type) query.type = type
  return new ProviderError(404, 'DEVICE_NOT_FOUND', `No device was found with id:${id} and ${JSON.stringify(query)}`)
}

/**
 * The values of a notified entity, in the order they came: every key but id and type, the value
 * of each (an attribute that is not an object has no value).
 */
function notifiedValues(entity: NotifiedEntity): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  for (const [name, attr] of Object.entries(entity)) {
    if (name === 'id' || name === 'type') continue
    out.push([name, attr !== null && typeof attr === 'object' ? (attr as { value?: unknown }).value : undefined])
  }
  return out
}

/**
 * `POST /notify` (iotagent-ul with configuration retrieval on): each notified entity is looked up
 * as a device by entity id and type in the notification's tenant, and its values are published to
 * that device. A device that is not found makes the answer a 404 DEVICE_NOT_FOUND, as the
 * library answers; the other entities of the notification are still published.
 */
export class ConfigurationNotifications implements NotificationReceiver {
  private notified = 0

  constructor(private readonly deps: ConfigurationNotificationsDeps) {}

  /** Notifications whose values were published. */
  count(): number {
    return this.notified
  }

  async notify(scope: Scope, notification: Notification): Promise<void> {
    let missing: ProviderError | undefined
    for (const entity of notification.data) {
      const type = typeof entity.type === 'string' ? entity.type : undefined
      const dev = this.deps.resolver.resolveEntity(scope.service, scope.servicePath, entity.id, type)
      if (!dev) {
        missing ??= deviceNotFound(entity.id, type, scope)
        this.deps.logger.warn('NOTIFY-DEVICE-NOT-FOUND', `notification ${notification.subscriptionId} for entity ${entity.id} (${type ?? 'any type'}): no such device in service "${scope.service}" and service path "${scope.servicePath}"`)
        continue
      }
      this.send(dev, notifiedValues(entity))
    }
    if (missing) throw missing
  }

  /** Publishes without waiting for the broker: an external broker that is down must not hold the context broker's request. */
  private send(dev: EffectiveDevice, values: Array<[string, unknown]>): void {
    let payload: string
    try {
      payload = (this.deps.protocol ?? ulProtocol).encodeConfigurationValues(dev.deviceId, values)
    } catch (err) {
      this.deps.logger.warn('NOTIFY-FORMAT', `configuration values for ${dev.deviceId} cannot be written in ${(this.deps.protocol ?? ulProtocol).label}: ${(err as Error).message}`)
      return
    }
    this.notified++
    const topic = configurationValuesTopic(dev.apikey, dev.deviceId)
    this.deps.broker
      .publish(topic, payload, { qos: this.deps.publish.qos, retain: this.deps.publish.retain, by: 'agent-configuration' })
      .catch((err: Error) => this.deps.logger.warn('NOTIFY-PUBLISH', `configuration values for ${dev.deviceId} on ${topic}: ${err.message}`))
  }
}
