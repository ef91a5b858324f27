import type { MqttBroker } from '../broker/types'
import type { SourceLogger } from '../log/logger'
import { formatMeasures } from '../ultralight'

export interface SeedDeviceOptions {
  apikey: string
  deviceId: string
  /** Seconds between two measures while switched on. */
  intervalSec: number
  /** Start already sending measures (the tutorial's device waits for `switch`). */
  switchedOn: boolean
}

export interface SeedDeviceState extends SeedDeviceOptions {
  running: boolean
  measuresSent: number
  commandsReceived: number
  lastMeasure?: { t: number; rh: number; time: number }
}

const COMMAND = /^([^@|]+)@([^|]+)\|?(.*)$/s

/**
 * The seed tutorial's dummy device: when switched on, it publishes `t|<10–40>|rh|<0–100>` on
 * `ul/<apikey>/<id>/attrs` every `interval` seconds; it listens on `/<apikey>/<id>/cmd` for
 * `switch` and `interval`, and reports results as ordinary measures (`switch_status|OK|switch_info|…`).
 * `switch` takes 1/on/true, 0/off/false, or anything else (the tutorials send "") to toggle.
 */
export class SeedDevice {
  private opts: SeedDeviceOptions
  private timer: NodeJS.Timeout | null = null
  private unsubscribe: (() => Promise<void>) | null = null
  private measuresSent = 0
  private commandsReceived = 0
  private lastMeasure: SeedDeviceState['lastMeasure']

  constructor(
    private readonly broker: MqttBroker,
    opts: SeedDeviceOptions,
    private readonly logger: SourceLogger,
    private readonly random: () => number = Math.random,
    /** Called after every change of state() (the GUI's simulator stream throttles it). */
    private readonly changed: () => void = () => {}
  ) {
    this.opts = { ...opts }
  }

  get deviceId(): string {
    return this.opts.deviceId
  }

  async start(): Promise<void> {
    if (this.unsubscribe) return
    this.unsubscribe = await this.broker.subscribe(`/${this.opts.apikey}/${this.opts.deviceId}/cmd`, (_topic, payload) => this.onCommand(payload.toString('utf8')))
    if (this.opts.switchedOn) this.schedule()
  }

  async stop(): Promise<void> {
    this.cancel()
    const u = this.unsubscribe
    this.unsubscribe = null
    await u?.()
  }

  state(): SeedDeviceState {
    return { ...this.opts, running: this.unsubscribe !== null, measuresSent: this.measuresSent, commandsReceived: this.commandsReceived, lastMeasure: this.lastMeasure }
  }

  /** Publishes one measure now (also used by the "send a measure" button). */
  async sendMeasure(): Promise<void> {
    const t = Math.round((10 + this.random() * 30) * 10) / 10
    const rh = Math.round(this.random() * 100)
    this.lastMeasure = { t, rh, time: Date.now() }
    await this.publishAttrs(formatMeasures([['t', t], ['rh', rh]]))
    this.measuresSent++
    this.changed()
  }

  private publishAttrs(payload: string): Promise<void> {
    return this.broker.publish(`ul/${this.opts.apikey}/${this.opts.deviceId}/attrs`, payload, { by: 'simulator' })
  }

  private schedule(): void {
    this.cancel()
    this.opts.switchedOn = true
    this.timer = setInterval(() => {
      this.sendMeasure().catch((err: Error) => this.logger.warn('SIMULATOR_PUBLISH', `${this.opts.deviceId}: ${err.message}`))
    }, this.opts.intervalSec * 1000)
    this.timer.unref?.()
  }

  private cancel(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private onCommand(text: string): void {
    const m = COMMAND.exec(text.trim())
    if (!m || m[1] !== this.opts.deviceId) return
    this.commandsReceived++
    this.changed()
    const command = m[2]!
    const value = m[3] ?? ''
    let reply: string
    switch (command) {
      case 'switch': {
        const v = value.trim().toLowerCase()
        const on = v === '1' || v === 'on' || v === 'true' ? true : v === '0' || v === 'off' || v === 'false' ? false : !this.opts.switchedOn
        if (on) this.schedule()
        else {
          this.cancel()
          this.opts.switchedOn = false
        }
        reply = formatMeasures([['switch_status', 'OK'], ['switch_info', on ? 'Started sending data' : 'Stopped sending data']])
        break
      }
      case 'interval': {
        const seconds = Number(value)
        if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
          // The value is echoed without what UltraLight cannot carry (| # @, line breaks) and what the
          // context broker refuses in a value (< > " ' = ; ( )): either would lose the report.
          const shown = value.replace(/[|#@\r\n<>"'=;()]/g, ' ').trim()
          reply = formatMeasures([['interval_status', 'ERROR'], ['interval_info', shown ? `Invalid interval ${shown}` : 'Invalid interval: no value']])
          break
        }
        this.opts.intervalSec = seconds
        if (this.opts.switchedOn) this.schedule()
        reply = formatMeasures([['interval_status', 'OK'], ['interval_info', `Interval set to ${seconds} seconds`]])
        break
      }
      default: {
        // A command name that cannot be a measure key (it holds | # @ or is odd) gets no answer, as a
        // real device would not understand it either.
        if (!/^[A-Za-z0-9_.:-]+$/.test(command)) {
          this.logger.warn('SIMULATOR_COMMAND', `${this.opts.deviceId}: ignored command "${command}"`)
          return
        }
        reply = formatMeasures([[`${command}_status`, 'ERROR'], [`${command}_info`, `Unknown command ${command}`]])
      }
    }
    this.publishAttrs(reply).catch((err: Error) => this.logger.warn('SIMULATOR_PUBLISH', `${this.opts.deviceId}: ${err.message}`))
  }
}
