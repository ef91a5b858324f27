import { EmbeddedBroker } from '../../electron/engine/broker/embedded'
import type { EngineConfig } from '../../electron/engine/config/types'
import { silentLogger } from '../../electron/engine/log/logger'
import { waitFor } from '../helpers/wait-for'
import { deviceClient, recordingSubscriber, unique, type BrokerSetup } from './broker.contract'

/**
 * The contract's setup for the embedded broker with a given configuration (plain, or with an ACL
 * file): a started broker and one device client on its TCP listener on 127.0.0.1.
 */
export function embeddedSetup(config: () => EngineConfig): BrokerSetup {
  return async (ingress, protocolVersion) => {
    const broker = new EmbeddedBroker(config(), silentLogger())
    broker.setIngress(ingress)
    await broker.start()
    const listener = broker.status().listeners.find((l) => l.protocol === 'mqtt' && l.host === '127.0.0.1')
    if (!listener) throw new Error('no mqtt listener on 127.0.0.1')
    const url = `mqtt://127.0.0.1:${listener.port}`
    const device = await deviceClient(url, unique('device'), protocolVersion)
    const barriers = new Set<string>()
    device.on('message', (topic) => barriers.add(topic))
    await device.subscribeAsync('ulcc-barrier/#', { qos: 0 })
    let acks = 0
    return {
      broker,
      deviceOrigin: 'client',
      publishAsDevice: (topic, payload, qos) =>
        new Promise<void>((resolve, reject) =>
          device.publish(topic, payload, { qos }, (err) => {
            if (err) return reject(err)
            if (qos > 0) acks++
            resolve()
          })
        ),
      subscribeAsClient: (filter) => recordingSubscriber(url, filter, protocolVersion),
      // The broker writes to the device in order: a PUBACK sent before the barrier arrives first.
      acknowledged: async () => {
        const barrier = `ulcc-barrier/${unique('b')}`
        await broker.publish(barrier, '')
        await waitFor(() => barriers.has(barrier), 'the barrier at the device')
        return acks
      },
      teardown: async () => {
        await device.endAsync(true)
        await broker.stop()
      }
    }
  }
}
