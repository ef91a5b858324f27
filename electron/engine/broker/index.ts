import type { EngineConfig } from '../config/types'
import type { Logger } from '../log/logger'
import { EmbeddedBroker } from './embedded'
import { ExternalBroker } from './external'
import type { MqttBroker } from './types'

export type { BrokerListener, BrokerStatus, IngressHandler, MessageOrigin, MqttBroker, MqttMessage, PublishOptions, SubscriptionHandler } from './types'
export { AGENT_TOPIC_FILTERS } from './types'
export { matchesFilter } from './topic-filter'

/** The MQTT side configured by `config.mqtt.mode`: the embedded Aedes broker or an external one. */
export function createBroker(config: EngineConfig, logger: Logger): MqttBroker {
  return config.mqtt.mode === 'external' ? new ExternalBroker(config.mqtt, logger) : new EmbeddedBroker(config, logger)
}
