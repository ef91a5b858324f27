/**
 * Child process of the kill -9 durability test: stores a group and a device through the registry,
 * prints "done" once both writes have resolved, then idles until it is killed (never closes the
 * registry, so nothing is compacted or flushed at exit).
 */
import { Logger } from '../../../electron/engine/log/logger'
import { Registry } from '../../../electron/engine/registry/registry'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: durability-child.ts <dataDir>')

const registry = await Registry.open({ dataDir }, new Logger('FATAL', 1))
await registry.addGroup({ service: 'openiot', subservice: '/', resource: '', apikey: 'k1', entity_type: 'Device' })
await registry.addDevice({
  device_id: 'device001',
  apikey: 'k1',
  service: 'openiot',
  service_path: '/',
  entity_name: 'urn:ngsi-ld:Device:001',
  entity_type: 'Device',
  attributes: [{ object_id: 't', name: 'temperature', type: 'Number' }],
  lazy: [],
  commands: [],
  static_attributes: []
})
process.stdout.write('done\n')
setInterval(() => {}, 60_000)
