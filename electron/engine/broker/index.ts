import type { EngineConfig } from '../config/types'
import type { Logger } from '../log/logger'
import { EmbeddedBroker } from './embedded'
import type { MqttBroker } from './types'

export type { BrokerListener, BrokerStatus, IngressHandler, MessageOrigin, MqttBroker, MqttMessage, PublishOptions, SubscriptionHandler } from './types'
export { AGENT_TOPIC_FILTERS } from './types'
export { matchesFilter } from './topic-filter'

/**
 * The MQTT side configured by `config.mqtt.mode`: the embedded Aedes broker or an external one.
 * The external broker's module (and with it the MQTT client library) is loaded only in that mode,
 * which keeps it out of the usual start.
 */
export async function createBroker(config: EngineConfig, logger: Logger): Promise<MqttBroker> {
  if (config.mqtt.mode !== 'external') return new EmbeddedBroker(config, logger)
  const { ExternalBroker } = await import('./external')
  return new ExternalBroker(config.mqtt, logger)
}
