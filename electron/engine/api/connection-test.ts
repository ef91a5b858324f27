import type { ConnectionTestResultDto, EngineApi, RequestArgs } from '../../../shared/contract'
import { valueAt } from '../config/settings-file'
import type { SettingsStore } from '../config/settings-store'
import type { ContextBrokerAuthConfig } from '../config/types'
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

  /** An empty secret of the authentication being edited means the saved one, for the same type of authentication. */
  const orionAuth = (given: ContextBrokerAuthConfig | undefined): ContextBrokerAuthConfig | undefined => {
    if (!given) return undefined
    const saved = valueAt(settings.values(true), 'contextBroker.auth') as ContextBrokerAuthConfig | undefined
    const out: ContextBrokerAuthConfig = { ...given }
    if (saved?.type !== given.type) return out
    for (const f of ['password', 'clientSecret', 'token', 'trust'] as const) if (!out[f] && saved[f]) out[f] = saved[f]
    return out
  }

  return {
    'connection.test': async (args) => {
      if (running.has(args.target)) return { target: args.target, ok: false, reason: 'busy', detail: 'a test of this connection is still running' }
      running.add(args.target)
      try {
        if (args.target === 'mqtt') return await testMqtt(mqttInput(args.mqtt))
        return await testContextBroker(args.url, undefined, { caFile: args.caFile || undefined, auth: orionAuth(args.auth) })
      } finally {
        running.delete(args.target)
      }
    }
  }
}
