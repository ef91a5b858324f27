import { MOSQUITTO_PUB, MOSQUITTO_SUB, runClient, type ClientRun, type RunResult } from './mosquitto'
import { waitFor } from './wait-for'

/**
 * Debian's mosquitto_pub / mosquitto_sub against an engine's embedded broker, as a trainee types
 * them. Every run is tracked so that `killAll()` (in afterEach) leaves no process behind.
 */
export class MosquittoClients {
  private readonly runs: ClientRun[] = []
  private readonly host: string
  private readonly port: string

  constructor(mqttUrl: string) {
    const u = new URL(mqttUrl)
    this.host = u.hostname
    this.port = u.port
  }

  /** mosquitto_pub with the given arguments (topic, message…); resolves when it exits. */
  async pub(args: string[]): Promise<RunResult> {
    const r = runClient(MOSQUITTO_PUB!, ['-h', this.host, '-p', this.port, ...args])
    this.runs.push(r)
    return r.result
  }

  /**
   * Publishes `message` on `topic` with QoS 1: mosquitto_pub exits after the broker's PUBACK,
   * which the engine sends once the message is processed, so its effects can be checked at once.
   */
  async publish(topic: string, message: string, extra: string[] = []): Promise<void> {
    const r = await this.pub(['-q', '1', '-t', topic, '-m', message, ...extra])
    if (r.code !== 0) throw new Error(`mosquitto_pub -t ${topic} failed (${r.code}): ${r.stderr}`)
  }

  /**
   * mosquitto_sub on `topic`, ready (SUBACK seen) when this resolves. `messages()` lists what it
   * printed so far.
   */
  async sub(topic: string, opts: { count?: number; timeoutSec?: number; extra?: string[] } = {}): Promise<Subscriber> {
    const args = ['-h', this.host, '-p', this.port, '-d', '-W', String(opts.timeoutSec ?? 20), '-F', 'MSG|%t|%p', '-t', topic, ...(opts.extra ?? [])]
    if (opts.count !== undefined) args.push('-C', String(opts.count))
    const r = runClient(MOSQUITTO_SUB!, args, ((opts.timeoutSec ?? 20) + 5) * 1000)
    this.runs.push(r)
    await waitFor(() => r.stdout().includes('Subscribed (mid'), `the SUBACK of mosquitto_sub -t ${topic}`)
    return {
      run: r,
      messages: () =>
        r
          .stdout()
          .split('\n')
          .filter((l) => l.startsWith('MSG|'))
          .map((l) => {
            const rest = l.slice(4)
            const bar = rest.indexOf('|')
            return { topic: rest.slice(0, bar), payload: rest.slice(bar + 1) }
          })
    }
  }

  killAll(): void {
    for (const r of this.runs.splice(0)) r.kill()
  }
}

export interface Subscriber {
  run: ClientRun
  messages(): Array<{ topic: string; payload: string }>
}
