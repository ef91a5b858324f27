import mqtt, { type MqttClient } from 'mqtt'

export interface ReceivedCommand {
  topic: string
  payload: string
  time: number
}

export interface SentMeasure {
  topic: string
  payload: string
  time: number
}

export interface PythonSeedDevice {
  client: MqttClient
  /** Commands received, as `<device>@<cmd>|<value>` texts. */
  commands: string[]
  /** Commands received with their topic and arrival time. */
  received: ReceivedCommand[]
  /** Every message the device published (measures and command results), in order. */
  published: SentMeasure[]
  /** Measures published so far. */
  sent: number
  switchedOn(): boolean
  intervalSec(): number
  close(): Promise<void>
}

export interface PythonSeedDeviceOptions {
  intervalSec?: number
  /** QoS of the device's publications (the seed's device uses 0). */
  qos?: 0 | 1
}

/**
 * An MQTT client that behaves like the seed tutorial's Python dummy device: it listens on
 * `/<apikey>/<id>/cmd` (leading slash), publishes `t|<10–40>|rh|<0–100>` on `ul/<apikey>/<id>/attrs`
 * (no leading slash) every `interval` seconds while switched on, and reports command results as
 * ordinary measures (`switch_status|OK|switch_info|Started sending data`), not on `cmdexe`.
 * `switch` with `1`/`on` starts, `0`/`off` stops, an empty value toggles.
 */
export async function startPythonSeedDevice(url: string, apikey: string, deviceId = 'device001', opts: PythonSeedDeviceOptions = {}): Promise<PythonSeedDevice> {
  const client = await mqtt.connectAsync(url, { clientId: `py-${deviceId}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 0 })
  const qos = opts.qos ?? 0
  let on = false
  let interval = opts.intervalSec ?? 1
  let timer: NodeJS.Timeout | null = null
  const dev: PythonSeedDevice = {
    client,
    commands: [],
    received: [],
    published: [],
    sent: 0,
    switchedOn: () => on,
    intervalSec: () => interval,
    close: async () => {
      if (timer) clearInterval(timer)
      timer = null
      await client.endAsync(true)
    }
  }
  const attrs = `ul/${apikey}/${deviceId}/attrs`
  const cmdTopic = `/${apikey}/${deviceId}/cmd`
  const publish = (payload: string): void => {
    dev.published.push({ topic: attrs, payload, time: Date.now() })
    client.publish(attrs, payload, { qos })
  }
  const send = (): void => {
    const t = 10 + Math.floor(Math.random() * 31)
    const rh = Math.floor(Math.random() * 101)
    publish(`t|${t}|rh|${rh}`)
    dev.sent++
  }
  const restart = (): void => {
    if (timer) clearInterval(timer)
    timer = on ? setInterval(send, interval * 1000) : null
  }
  client.on('message', (topic, payload) => {
    const text = payload.toString()
    dev.commands.push(text)
    dev.received.push({ topic, payload: text, time: Date.now() })
    const m = /^([^@]+)@([^|]+)\|(.*)$/s.exec(text)
    if (topic !== cmdTopic || !m || m[1] !== deviceId) return
    const [, , cmd, value] = m
    if (cmd === 'switch') {
      on = value === '' ? !on : value === '1' || value === 'on' || value === 'true'
      restart()
      publish(`switch_status|OK|switch_info|${on ? 'Started sending data' : 'Stopped sending data'}`)
    } else if (cmd === 'interval') {
      const seconds = Number(value)
      if (!Number.isFinite(seconds) || seconds <= 0) {
        publish(`interval_status|ERROR|interval_info|Invalid interval ${value}`)
        return
      }
      interval = seconds
      restart()
      publish(`interval_status|OK|interval_info|Interval set to ${interval}`)
    }
  })
  await client.subscribeAsync(cmdTopic)
  return dev
}
