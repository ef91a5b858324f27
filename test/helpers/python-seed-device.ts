import mqtt, { type MqttClient } from 'mqtt'

export interface PythonSeedDevice {
  client: MqttClient
  /** Commands received, as `<device>@<cmd>|<value>` texts. */
  commands: string[]
  /** Measures published so far. */
  sent: number
  switchedOn(): boolean
  intervalSec(): number
  close(): Promise<void>
}

/**
 * An MQTT client that behaves like the seed tutorial's Python dummy device: it listens on
 * `/<apikey>/<id>/cmd` (leading slash), publishes measures on `ul/<apikey>/<id>/attrs` (no leading
 * slash) while switched on, and reports command results as ordinary measures
 * (`switch_status|OK|switch_info|Started sending data`), not on `cmdexe`.
 */
export async function startPythonSeedDevice(url: string, apikey: string, deviceId = 'device001', opts: { intervalSec?: number } = {}): Promise<PythonSeedDevice> {
  const client = await mqtt.connectAsync(url, { clientId: `py-${deviceId}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 0 })
  let on = false
  let interval = opts.intervalSec ?? 1
  let timer: NodeJS.Timeout | null = null
  const dev: PythonSeedDevice = {
    client,
    commands: [],
    sent: 0,
    switchedOn: () => on,
    intervalSec: () => interval,
    close: async () => {
      if (timer) clearInterval(timer)
      await client.endAsync(true)
    }
  }
  const attrs = `ul/${apikey}/${deviceId}/attrs`
  const send = (): void => {
    const t = 10 + Math.floor(Math.random() * 31)
    const rh = Math.floor(Math.random() * 101)
    client.publish(attrs, `t|${t}|rh|${rh}`)
    dev.sent++
  }
  const restart = (): void => {
    if (timer) clearInterval(timer)
    timer = on ? setInterval(send, interval * 1000) : null
  }
  client.on('message', (_topic, payload) => {
    const text = payload.toString()
    dev.commands.push(text)
    const m = /^([^@]+)@([^|]+)\|(.*)$/.exec(text)
    if (!m || m[1] !== deviceId) return
    const [, , cmd, value] = m
    if (cmd === 'switch') {
      on = value === '' ? !on : value === '1' || value === 'on'
      restart()
      client.publish(attrs, `switch_status|OK|switch_info|${on ? 'Started sending data' : 'Stopped sending data'}`)
    } else if (cmd === 'interval') {
      interval = Number(value)
      restart()
      client.publish(attrs, `interval_status|OK|interval_info|Interval set to ${interval}`)
    }
  })
  await client.subscribeAsync(`/${apikey}/${deviceId}/cmd`)
  return dev
}
