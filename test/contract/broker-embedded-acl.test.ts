import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { EmbeddedBroker } from '../../electron/engine/broker/embedded'
import { defaultConfig } from '../../electron/engine/config/defaults'
import { silentLogger } from '../../electron/engine/log/logger'
import { tempDir } from '../helpers/temp-dir'
import { waitFor } from '../helpers/wait-for'
import { brokerContract, deviceClient, recordingSubscriber, unique } from './broker.contract'

/**
 * The broker contract with authentication on: an ACL file that lets every client (anonymous, on
 * loopback) publish and receive everything, so that every message passes through the ACL hooks
 * (docs/compatibility/mqtt-broker.md §4) and the contract must hold unchanged.
 */
const dir = tempDir('ulcc-broker-acl-')
afterAll(() => dir.cleanup())
const aclFile = join(dir.path, 'acl')
writeFileSync(aclFile, '# everything, for every client without a user name\ntopic readwrite #\n')

brokerContract('embedded (Aedes) with an ACL file', async (ingress, protocolVersion) => {
  const c = defaultConfig(dir.path)
  c.hosts = ['127.0.0.1']
  c.ports.mqtt = 0
  c.ports.mqttWs = 0
  c.mqtt = { mode: 'embedded', aclFile }
  const broker = new EmbeddedBroker(c, silentLogger())
  broker.setIngress(ingress)
  await broker.start()
  const port = broker.status().listeners.find((l) => l.protocol === 'mqtt')!.port
  const url = `mqtt://127.0.0.1:${port}`
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
})
