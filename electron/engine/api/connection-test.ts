import type { ConnectionTestResultDto, EngineApi, RequestArgs } from '../../../shared/contract'
import { valueAt } from '../config/settings-file'
import type { SettingsStore } from '../config/settings-store'
import { testContextBroker, testMqtt, type MqttTestInput } from '../net/connection-test'

/**
 * `connection.test`: the settings page's "Test connection", over the values being edited. The GUI
 * never receives a password, so an empty one means the saved one, and it is used only for the
 * user name it was saved with. One test per target at a time; another one meanwhile answers `busy`.
 */
export function connectionTestArea(settings: Pick<SettingsStore, 'values'>): Pick<EngineApi, 'connection.test'> {
  const running = new Set<ConnectionTestResultDto['target']>()

  const mqttInput = (given: Extract<RequestArgs<'connection.test'>, { target: 'mqtt' }>['mqtt']): MqttTestInput => {
    if (given.password) return given
    const saved = settings.values(true)
    const password = valueAt(saved, 'mqtt.password')
    const username = valueAt(saved, 'mqtt.username')
    const sameUser = (given.username || undefined) === (typeof username === 'string' && username ? username : undefined)
    return typeof password === 'string' && password && sameUser ? { ...given, password } : given
  }

  return {
    'connection.test': async (args) => {
      if (running.has(args.target)) return { target: args.target, ok: false, reason: 'busy', detail: 'a test of this connection is still running' }
      running.add(args.target)
      try {
        return args.target === 'mqtt' ? await testMqtt(mqttInput(args.mqtt)) : await testContextBroker(args.url)
      } finally {
        running.delete(args.target)
      }
    }
  }
}
