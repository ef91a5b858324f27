import type { MqttBroker } from '../broker/types'
import type { SourceLogger } from '../log/logger'
import { FleetPlan, type FleetOptions } from './fleet-plan'

export type { FleetOptions } from './fleet-plan'

export interface FleetState extends FleetOptions {
  id: string
  running: boolean
  measuresSent: number
  /** Measures not sent because of `lossPercent`. */
  measuresDropped: number
  commandsReceived: number
  answersSent: number
  /** Command answers not sent because of `lossPercent` (or an overflowing answer queue). */
  answersDropped: number
  /**
   * Measures skipped because the fleet was more than a second (at least one round) behind its
   * schedule: a stalled event loop or a saturated engine. A shorter backlog is caught up at twice
   * the pace, never in one burst.
   */
  measuresLate: number
}

/** Period of the fleet's tick loop: the resolution of its pacing and of its answer latency. */
const TICK_MS = 10
/** Publications awaited at once; beyond this the fleet waits (the engine is saturated). */
const MAX_IN_FLIGHT = 2000
/** Answers waiting for their latency; more are dropped (a flood of commands to a slow fleet). */
const MAX_PENDING_ANSWERS = 100_000

const COMMAND = /^([^@|]+)@([^|]+)/

interface Answer {
  due: number
  topic: string
  payload: string
}

/**
 * N simulated UltraLight devices `<idPrefix>1 … <idPrefix>N` in one object: one tick loop paces
 * every device's measures (device k publishes at phase k/N of the interval, so the traffic is
 * spread evenly instead of arriving in bursts), and one internal subscription `/<apikey>/+/cmd`
 * receives the commands of all of them. Answers `<id>@<cmd>|OK` on `/<apikey>/<id>/cmdexe` wait
 * in a FIFO queue (one latency for the whole fleet keeps it sorted by due time).
 *
 * A fleet provisions nothing: the GUI creates a service group for the API key, whose
 * autoprovisioning creates each device (and its entity) at its first measure. Commands reach a
 * device only if the group declares them (`commands: [{name, type: 'command'}]`), as with the
 * real agent.
 */
export class Fleet {
  private readonly plan: FleetPlan
  private timer: NodeJS.Timeout | null = null
  private unsubscribe: (() => Promise<void>) | null = null
  private startedAt = 0
  /** Sending slots done since start; slot s belongs to device (s mod N) + 1. */
  private slot = 0
  private inFlight = 0
  private answers: Answer[] = []
  private answersHead = 0
  private readonly counters = { measuresSent: 0, measuresDropped: 0, commandsReceived: 0, answersSent: 0, answersDropped: 0, measuresLate: 0 }
  private warnedPublish = false

  constructor(
    readonly id: string,
    private readonly broker: MqttBroker,
    opts: FleetOptions,
    private readonly logger: SourceLogger,
    private readonly changed: () => void = () => {},
    random: () => number = Math.random
  ) {
    this.plan = new FleetPlan(opts, random)
  }

  get options(): FleetOptions {
    return this.plan.options
  }

  async start(): Promise<void> {
    if (this.unsubscribe) return
    const { apikey } = this.plan.options
    this.unsubscribe = await this.broker.subscribe(`/${apikey}/+/cmd`, (topic, payload) => this.onCommand(topic, payload))
    this.startedAt = Date.now()
    this.timer = setInterval(() => this.tick(), TICK_MS)
    this.timer.unref?.()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.answers = []
    this.answersHead = 0
    const u = this.unsubscribe
    this.unsubscribe = null
    await u?.()
  }

  state(): FleetState {
    return { id: this.id, ...this.plan.options, running: this.timer !== null, ...this.counters }
  }

  private tick(): void {
    const now = Date.now()
    this.sendAnswers(now)
    const due = this.plan.slotsDue(now - this.startedAt)
    // After a stall (a busy event loop, a saturated engine) the backlog is caught up at twice the
    // nominal pace rather than in one burst; what is more than a second (or one round) late is skipped.
    const behind = due - this.slot - this.plan.backlogLimit
    if (behind > 0) {
      this.slot += behind
      this.counters.measuresLate += behind
    }
    let budget = this.plan.catchUpPerTick(TICK_MS)
    let sent = false
    while (this.slot < due && budget-- > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const device = this.slot % this.plan.count
      this.slot++
      sent = true
      if (this.plan.lose()) {
        this.counters.measuresDropped++
        continue
      }
      this.publish(this.plan.attrsTopic(device), this.plan.measurePayload(), 'measure')
    }
    if (sent) this.changed()
  }

  private publish(topic: string, payload: string, what: 'measure' | 'answer'): void {
    this.inFlight++
    this.broker.publish(topic, payload, { by: 'simulator' }).then(
      () => {
        this.inFlight--
        if (what === 'measure') this.counters.measuresSent++
        else this.counters.answersSent++
      },
      (err: Error) => {
        this.inFlight--
        // Once per fleet: a stopped broker would otherwise log thousands of lines a second.
        if (!this.warnedPublish) this.logger.warn('SIMULATOR_PUBLISH', `fleet ${this.id}: ${err.message}`)
        this.warnedPublish = true
      }
    )
  }

  private onCommand(topic: string, payload: Buffer): void {
    // topic = /<apikey>/<deviceId>/cmd
    const deviceId = topic.slice(this.plan.options.apikey.length + 2, topic.length - 4)
    if (this.plan.deviceIndex(deviceId) < 0) return
    const m = COMMAND.exec(payload.toString('utf8').trim())
    if (!m || m[1] !== deviceId) return
    this.counters.commandsReceived++
    this.changed()
    if (this.plan.lose() || this.answers.length - this.answersHead >= MAX_PENDING_ANSWERS) {
      this.counters.answersDropped++
      return
    }
    const due = Date.now() + this.plan.options.replyLatencyMs
    this.answers.push({ due, topic: `/${this.plan.options.apikey}/${deviceId}/cmdexe`, payload: `${deviceId}@${m[2]}|OK` })
    if (this.plan.options.replyLatencyMs === 0) this.sendAnswers(due)
  }

  private sendAnswers(now: number): void {
    const q = this.answers
    while (this.answersHead < q.length && q[this.answersHead]!.due <= now) {
      const a = q[this.answersHead]!
      this.answersHead++
      this.publish(a.topic, a.payload, 'answer')
    }
    // Drop the consumed head now and then instead of shifting on every answer.
    if (this.answersHead > 1024 && this.answersHead * 2 > q.length) {
      this.answers = q.slice(this.answersHead)
      this.answersHead = 0
    }
  }
}
