import type { HttpDeviceDto, HttpDevicePostDto } from '../../../shared/http-devices'
import type { SourceLogger } from '../log/logger'
import { formatMeasures } from '../ultralight'
import {
  DEFAULT_INTERVAL_S,
  deviceLabel,
  intervalSeconds,
  METHOD_NOT_ALLOWED,
  switchWanted,
  type DeviceCommandRefusal,
  type DeviceCommandRequest
} from './http-device-commands'
import type { HttpDeviceLookup, HttpDeviceProtocol, HttpDeviceTarget } from './http-device-lookup'

/**
 * The tutorials' HTTP dummy devices, built in (docs/compatibility/tutorial-services.md §4): each
 * device path of a tenant (`/dht22`, `/device1`, …) is one device that answers `start`, `stop`,
 * `interval` and `switch`, and while started POSTs a random temperature and relative humidity to
 * the agents' south port every `interval` seconds, for the provisioned devices whose endpoint is
 * that path (`/iot/json?k=&i=` as JSON, `/iot/d?k=&i=` as UltraLight).
 *
 * Bounded: at most `maxRunning` devices post at once, at most `maxDevices` are remembered (the
 * stopped ones are forgotten first), at most `maxTargets` provisioned devices get measures from one
 * device, and a target whose previous POST has not ended is skipped. Timers are unref'd and
 * cleared by `close`. A failed POST is counted and logged (once until one succeeds), never thrown.
 */

export interface HttpDevicesOptions {
  /** The provisioned devices behind a path (http-device-lookup.ts). */
  lookup: HttpDeviceLookup
  /** `http://host:port` of the agents' south port now; undefined while it is not served. */
  southUrl: () => string | undefined
  log: SourceLogger
  /** Random numbers in [0, 1) (default Math.random). */
  random?: () => number
  maxRunning?: number
  maxDevices?: number
  maxTargets?: number
  /** A POST to the south port not answered within this time is aborted and counted as failed (default 5 s). */
  postTimeoutMs?: number
}

/** The last POST of a device to the south port. */
export type HttpDevicePost = HttpDevicePostDto

/** One built-in HTTP device, as `list()` shows it (the GUI's `simulator.httpDevices`). */
export type HttpDeviceState = HttpDeviceDto

/** The answer to a command: the result text, or a refusal. */
export type HttpDeviceAnswer = { result: string } | DeviceCommandRefusal

interface Device extends HttpDeviceState {
  key: string
  timer?: NodeJS.Timeout
  /** Targets (`protocol/apikey/id`) whose POST has not ended. */
  inFlight: Set<string>
  /** A failure was logged and no POST succeeded since. */
  failing: boolean
  temperature: number
  humidity: number
}

const round1 = (x: number): number => Math.round(x * 10) / 10
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))

/** `http://host:port` for a bound address: a wildcard address means loopback; IPv6 in brackets. */
export function southBaseUrl(bound: { host: string; port: number } | undefined): string | undefined {
  if (!bound) return undefined
  const host = bound.host === '0.0.0.0' || bound.host === '' ? '127.0.0.1' : bound.host === '::' ? '::1' : bound.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}`
}

export class HttpDevices {
  private readonly devices = new Map<string, Device>()
  private readonly random: () => number
  private readonly maxRunning: number
  private readonly maxDevices: number
  private readonly maxTargets: number
  private readonly postTimeoutMs: number
  private readonly abort = new AbortController()
  private readonly listeners = new Set<() => void>()
  private closed = false

  constructor(private readonly opts: HttpDevicesOptions) {
    this.random = opts.random ?? Math.random
    this.maxRunning = opts.maxRunning ?? 50
    this.maxDevices = opts.maxDevices ?? 500
    this.maxTargets = opts.maxTargets ?? 20
    this.postTimeoutMs = opts.postTimeoutMs ?? 5000
  }

  /**
   * Carries out a command sent to `path` of a tenant, as the tutorial device does, and returns
   * its result text (or a refusal). An UltraLight command is for the device it names; a JSON
   * command for every device of the tenant with this endpoint path.
   */
  command(service: string, servicePath: string, path: string, req: DeviceCommandRequest): HttpDeviceAnswer {
    if (this.closed) return { status: 503, body: { error: 'ServiceUnavailable', description: 'the HTTP devices are stopping' } }
    const label = deviceLabel(path)
    const existing = this.devices.get(keyOf(service, servicePath, path, req.protocol, req.deviceId))
    const wantsOn = req.command === 'start' || (req.command === 'switch' && (switchWanted(req.value) === 'on' || (switchWanted(req.value) === 'toggle' && !existing?.running)))
    if (wantsOn && !existing?.running && this.runningCount() >= this.maxRunning) {
      return { status: 503, body: { error: 'ServiceUnavailable', description: `at most ${this.maxRunning} built-in HTTP devices run at once: stop one first` } }
    }
    const dev = existing ?? this.remember(service, servicePath, path, req.protocol, req.deviceId)
    dev.commandsReceived++
    let result: string
    switch (req.command) {
      case 'start':
        result = dev.running ? `${label} already started` : `${label} started`
        if (!dev.running) this.start(dev)
        break
      case 'stop':
        result = dev.running ? `${label} stopped` : `${label} already stopped`
        if (dev.running) this.stop(dev)
        break
      case 'switch':
        if (wantsOn) {
          if (!dev.running) this.start(dev)
          result = 'Started sending data'
        } else {
          if (dev.running) this.stop(dev)
          result = 'Stopped sending data'
        }
        break
      case 'interval': {
        const sec = intervalSeconds(req.value)
        if (sec === undefined) return METHOD_NOT_ALLOWED
        dev.intervalSec = sec
        // The new pace starts now: the next measure comes one new interval from now.
        if (dev.running) this.schedule(dev)
        this.opts.log.info('HTTP-DEVICE-INTERVAL', `${describe(dev)}: interval set to ${sec} s`)
        result = 'Interval changed'
        break
      }
    }
    this.changed()
    return { result }
  }

  /** The devices remembered, running ones first. */
  list(): HttpDeviceState[] {
    const out = [...this.devices.values()].map(
      (d): HttpDeviceState => ({
        service: d.service,
        servicePath: d.servicePath,
        path: d.path,
        protocol: d.protocol,
        ...(d.deviceId !== undefined ? { deviceId: d.deviceId } : {}),
        running: d.running,
        intervalSec: d.intervalSec,
        commandsReceived: d.commandsReceived,
        postsSent: d.postsSent,
        postsOk: d.postsOk,
        postsFailed: d.postsFailed,
        ...(d.lastPost ? { lastPost: { ...d.lastPost } } : {})
      })
    )
    return out.sort((a, b) => Number(b.running) - Number(a.running))
  }

  /** Called after every change of state (a command, a POST's end); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops every device and aborts the POSTs under way. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const d of this.devices.values()) {
      clearTimeout(d.timer)
      d.timer = undefined
      d.running = false
    }
    this.abort.abort()
    this.listeners.clear()
  }

  private runningCount(): number {
    let n = 0
    for (const d of this.devices.values()) if (d.running) n++
    return n
  }

  private remember(service: string, servicePath: string, path: string, protocol: HttpDeviceProtocol, deviceId: string | undefined): Device {
    if (this.devices.size >= this.maxDevices) {
      // Forget the oldest stopped device (Map order is insertion order); running ones are fewer than maxDevices.
      for (const [k, d] of this.devices) {
        if (!d.running) {
          this.devices.delete(k)
          break
        }
      }
    }
    const key = keyOf(service, servicePath, path, protocol, deviceId)
    const dev: Device = {
      key,
      service,
      servicePath,
      path,
      protocol,
      ...(deviceId !== undefined ? { deviceId } : {}),
      running: false,
      intervalSec: DEFAULT_INTERVAL_S,
      commandsReceived: 0,
      postsSent: 0,
      postsOk: 0,
      postsFailed: 0,
      inFlight: new Set(),
      failing: false,
      temperature: 18 + this.random() * 8,
      humidity: 40 + this.random() * 30
    }
    this.devices.set(key, dev)
    return dev
  }

  private start(dev: Device): void {
    dev.running = true
    this.opts.log.info('HTTP-DEVICE-START', `${describe(dev)}: started, a measure every ${dev.intervalSec} s`)
    // The first measure goes out at once, then one every interval.
    this.tick(dev)
    this.schedule(dev)
  }

  private stop(dev: Device): void {
    dev.running = false
    clearTimeout(dev.timer)
    dev.timer = undefined
    this.opts.log.info('HTTP-DEVICE-STOP', `${describe(dev)}: stopped after ${dev.postsOk} measures (${dev.postsFailed} failed)`)
  }

  private schedule(dev: Device): void {
    clearTimeout(dev.timer)
    dev.timer = setTimeout(() => {
      if (!dev.running || this.closed) return
      this.tick(dev)
      this.schedule(dev)
    }, dev.intervalSec * 1000)
    dev.timer.unref()
  }

  /** One measure for each provisioned device behind the path. */
  private tick(dev: Device): void {
    const all = this.opts.lookup(dev.service, dev.servicePath, dev.path)
    const targets = all.filter((t) => t.protocol === dev.protocol && (dev.deviceId === undefined || t.deviceId === dev.deviceId)).slice(0, this.maxTargets)
    const south = this.opts.southUrl()
    if (targets.length === 0 || south === undefined) {
      const why =
        south === undefined
          ? 'the agents’ HTTP south port is not served'
          : `no ${dev.protocol === 'json' ? 'IoT Agent JSON' : 'IoT Agent UltraLight'} device of ${dev.service || '(default service)'} ${dev.servicePath} has an endpoint with path ${dev.path}${dev.deviceId !== undefined ? ` and id ${dev.deviceId}` : ''}`
      this.failed(dev, { at: Date.now(), url: '', body: '', error: why })
      return
    }
    this.walk(dev)
    for (const t of targets) this.post(dev, t, south)
  }

  /** The next plausible values: a slow random walk inside the tutorial device's ranges. */
  private walk(dev: Device): void {
    dev.temperature = clamp(dev.temperature + (this.random() - 0.5), 10, 40)
    dev.humidity = clamp(dev.humidity + (this.random() - 0.5) * 4, 0, 100)
  }

  private post(dev: Device, target: HttpDeviceTarget, south: string): void {
    const flight = `${target.protocol}/${target.apikey}/${target.deviceId}`
    if (dev.inFlight.has(flight)) return
    const url = `${south}${target.measurePath}?k=${encodeURIComponent(target.apikey)}&i=${encodeURIComponent(target.deviceId)}`
    const t = round1(dev.temperature)
    const h = round1(dev.humidity)
    let body: string
    try {
      body =
        target.protocol === 'json'
          ? JSON.stringify({ [target.temperatureKey]: t, [target.humidityKey]: h })
          : formatMeasures([
              [target.temperatureKey, t],
              [target.humidityKey, h]
            ])
    } catch (err) {
      this.failed(dev, { at: Date.now(), url, body: '', error: (err as Error).message })
      return
    }
    const headers = {
      'content-type': target.protocol === 'json' ? 'application/json' : 'text/plain',
      'fiware-service': target.service,
      'fiware-servicepath': target.servicePath
    }
    const at = Date.now()
    dev.postsSent++
    dev.inFlight.add(flight)
    fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.postTimeoutMs)]) })
      .then(async (res) => {
        const text = (await res.text()).slice(0, 300)
        if (res.ok) this.succeeded(dev, { at, url, body, status: res.status })
        else this.failed(dev, { at, url, body, status: res.status, error: `${res.status} ${text}` })
      })
      .catch((err: Error) => {
        if (this.closed) return
        const cause = (err as Error & { cause?: Error }).cause
        this.failed(dev, { at, url, body, error: cause ? `${cause.name}: ${cause.message}` : `${err.name}: ${err.message}` })
      })
      .finally(() => dev.inFlight.delete(flight))
  }

  private succeeded(dev: Device, post: HttpDevicePost): void {
    dev.postsOk++
    dev.lastPost = post
    if (dev.failing) {
      dev.failing = false
      this.opts.log.info('HTTP-DEVICE-POST-OK', `${describe(dev)}: measures reach the south port again (${post.url})`)
    }
    this.changed()
  }

  private failed(dev: Device, post: HttpDevicePost): void {
    dev.postsFailed++
    dev.lastPost = post
    if (!dev.failing) {
      dev.failing = true
      this.opts.log.warn('HTTP-DEVICE-POST-FAILED', `${describe(dev)}: measure not delivered${post.url ? ` to ${post.url}` : ''}: ${post.error ?? ''} (counted; logged again after a success)`)
    }
    this.changed()
  }

  private changed(): void {
    for (const l of this.listeners) l()
  }
}

function keyOf(service: string, servicePath: string, path: string, protocol: HttpDeviceProtocol, deviceId: string | undefined): string {
  return JSON.stringify([service, servicePath, path, protocol, deviceId ?? null])
}

function describe(dev: HttpDeviceState): string {
  return `HTTP device ${dev.path} (${dev.service || 'default service'} ${dev.servicePath}${dev.deviceId !== undefined ? `, ${dev.deviceId}` : ''})`
}
