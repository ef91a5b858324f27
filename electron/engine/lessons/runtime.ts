/**
 * The lessons of the engine (docs/lessons.md): loaded at start, with the progress of each lesson
 * kept, persisted and evaluated against the engine itself — its registry, its context broker, the
 * MQTT messages the agent accepted or refused, the requests its HTTP APIs answered — never
 * against the GUI. A lesson is watched from the moment it is opened (`open`), and again after every
 * start of the engine, until it is reset.
 *
 * Steps may be done in any order; each is evaluated on its own, and done stays done. Work is
 * coalesced: the hooks on the engine's paths only note what happened (O(1), no await, no disk),
 * and one evaluation runs at most ten times a second (once a second with an external Orion, whose
 * reads are HTTP requests), only while a lesson is started.
 */
import type { Lesson, LessonProgressDto, LessonSummaryDto, StepProgressDto } from '../../../shared/lessons'
import type { CommandCenter, CommandEvent } from '../agent/commands'
import type { AgentOutcome } from '../agent/southbound'
import type { SourceLogger } from '../log/logger'
import type { ObservedRequest, RequestObservers } from '../north/request-observer'
import type { Registry } from '../registry/registry'
import { loadLessons, type LessonCatalog } from './catalog'
import { contextNeeds, evaluateCheck, requestEvidence, requestMatches, type CheckResult, type MeasureSeen, type TenantSnapshot } from './checks'
import { matchHints, otherAgentHints, type HintEvent, type HintMatch } from './hints'
import { personalizeLesson, type Learner } from './personalize'
import { LastProblem } from './last-problem'
import { fittedProgress, ProgressSaver, readProgress, todoStep } from './progress-store'
import type { TenantContext } from './tenant-context'

export interface LessonsRuntimeDeps {
  /** The progress is kept in `<dataDir>/lessons/` (a classroom trainee's: in the trainee's own folder). */
  dataDir: string
  /** Folders of lesson files (`resources/lessons`); none: no lessons. */
  dirs: readonly string[]
  /** The lessons already loaded (a classroom's trainees share them): `dirs` are then not read. */
  catalog?: LessonCatalog
  /** A classroom trainee: every lesson in the trainee's tenant, with the trainee's API key (lessons/personalize.ts). */
  learner?: Learner
  /**
   * Which observed requests and refused messages are this learner's (classroom mode: those of
   * the trainee's tenant, API key or address); default: all.
   */
  accepts?: (event: ObservedEvent) => boolean
  /** The IoT Agent UltraLight's registry and commands. */
  registry: LessonRegistry
  context: TenantContext
  commands: Pick<CommandCenter, 'onEvent'>
  /** The IoT Agent JSON's, when the engine has one: checks with `agent: json` read its registry. */
  jsonAgent?: { registry: LessonRegistry; commands: Pick<CommandCenter, 'onEvent'> }
  requests: RequestObservers
  logger: SourceLogger
}

/** What the lessons read of an agent's registry. */
export type LessonRegistry = Pick<Registry, 'onChange' | 'groupsOf' | 'devicesOf'>

/** Evaluations run at most this often (embedded context broker: reads are calls in memory). */
const EMBEDDED_PERIOD_MS = 100
/** With an external Orion each evaluation reads it over HTTP: at most once a second. */
const EXTERNAL_PERIOD_MS = 1000
/** Events waiting for the next evaluation; more in one period are dropped (hints already apply by then). */
const MAX_PENDING_EVENTS = 200
/** Devices whose latest measures (and commands whose latest trace) are remembered. */
const MAX_MEASURED = 1000

type Scoped<T> = T & { service?: string; servicePath?: string }

/** What the hooks on the engine's paths observe, as a learner filter sees it. */
export type ObservedEvent = { kind: 'answered'; request: ObservedRequest } | { kind: 'rejected'; code: string; topic: string }

interface LessonState {
  lesson: Lesson
  progress: LessonProgressDto
  /** entity-gone steps whose entity was seen present (in memory). */
  seen: Set<string>
}

export class LessonsRuntime {
  private readonly states = new Map<string, LessonState>()
  private readonly errors: string[]
  private readonly listeners = new Set<(p: LessonProgressDto) => void>()
  /** The last problem seen: a hint that applied, a refused request of the learner's tenant, a refused message. */
  readonly problem = new LastProblem()
  private pending: Array<Scoped<HintEvent> | { kind: 'answered'; request: ObservedRequest }> = []
  private readonly measures = new Map<string, MeasureSeen[]>()
  private readonly commandTraces = new Map<string, number>()
  /** Device ids of the started lessons' checks: measures of others are not remembered. */
  private watchedDevices = new Set<string>()
  private unwatch: (() => void) | undefined
  private dirty = false
  /**
   * External Orion: evaluations still to run after a measure or a command result, which reach
   * Orion through the agent's queue a moment later and of which Orion tells nothing.
   */
  private rechecks = 0
  private timer: NodeJS.Timeout | undefined
  private lastRun = 0
  private running: Promise<void> | undefined
  private readonly saver: ProgressSaver
  private closed = false
  private readonly period: number

  private constructor(
    private readonly deps: LessonsRuntimeDeps,
    lessons: Lesson[],
    errors: string[],
    saved: Map<string, LessonProgressDto>
  ) {
    this.errors = errors
    this.period = deps.context.mode === 'external' ? EXTERNAL_PERIOD_MS : EMBEDDED_PERIOD_MS
    this.saver = new ProgressSaver(deps.dataDir, deps.logger, () => [...this.states.values()].filter((s) => s.progress.startedAt !== undefined).map((s) => s.progress))
    for (const original of lessons) {
      const lesson = deps.learner ? personalizeLesson(original, deps.learner) : original
      this.states.set(lesson.id, { lesson, progress: fittedProgress(lesson, saved.get(lesson.id)), seen: new Set() })
    }
  }

  /** Loads the lessons and their saved progress; problems are logged and kept for `list`, never thrown. */
  static async open(deps: LessonsRuntimeDeps): Promise<LessonsRuntime> {
    const catalog = deps.catalog ?? (deps.dirs.length ? await loadLessons(deps.dirs) : { lessons: [], errors: [] })
    const saved = await readProgress(deps.dataDir)
    // The lesson files' problems are the user's to see once, not once per trainee.
    if (!deps.learner) for (const e of catalog.errors) deps.logger.warn('LESSON_FILE', e)
    for (const p of saved.problems) deps.logger.warn('LESSON_PROGRESS', p)
    const runtime = new LessonsRuntime(deps, catalog.lessons, [...catalog.errors, ...saved.problems], saved.progress)
    runtime.rewatch()
    if (runtime.unwatch) runtime.markDirty()
    return runtime
  }

  list(): { lessons: LessonSummaryDto[]; errors: string[] } {
    const lessons = [...this.states.values()].map(({ lesson, progress }) => ({
      id: lesson.id,
      order: lesson.order,
      title: lesson.title,
      summary: lesson.summary,
      steps: lesson.steps.length,
      done: progress.steps.filter((s) => s.state === 'done').length
    }))
    return { lessons, errors: [...this.errors] }
  }

  lesson(id: string): Lesson | undefined {
    return this.states.get(id)?.lesson
  }

  /** Whether this runtime is a classroom trainee's (lessons personalized, events filtered). */
  get personal(): boolean {
    return this.deps.learner !== undefined
  }

  /** A copy of the lesson's progress. */
  progress(id: string): LessonProgressDto | undefined {
    const s = this.states.get(id)
    return s ? structuredClone(s.progress) : undefined
  }

  /** Opening a lesson starts it (the first time) and has its checks evaluated now. */
  open(id: string): LessonProgressDto | undefined {
    const s = this.states.get(id)
    if (!s) return undefined
    if (s.progress.startedAt === undefined) {
      s.progress.startedAt = Date.now()
      this.changed(s)
      this.rewatch()
    }
    this.markDirty()
    return structuredClone(s.progress)
  }

  /** Forgets the lesson's progress (its data is cleared by the caller); it stays started, as the trainee is in it. */
  clearProgress(id: string): LessonProgressDto | undefined {
    const s = this.states.get(id)
    if (!s) return undefined
    s.progress = { lessonId: id, startedAt: Date.now(), steps: s.lesson.steps.map((x) => todoStep(x.id)) }
    s.seen.clear()
    for (const d of this.devicesOf(s.lesson)) for (const key of [...this.measures.keys()]) if (key.startsWith(`${d}\u0000`)) this.measures.delete(key)
    this.changed(s)
    this.rewatch()
    this.markDirty()
    return structuredClone(s.progress)
  }

  /** Each change of a lesson's progress (a copy is read with `progress`). */
  onProgress(listener: (p: LessonProgressDto) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  // ---- hooks on the engine's paths: note, mark dirty, return

  /** Every MQTT message the agent handled (the broker's ingress), with its topic: O(1). */
  observeMessage(outcome: AgentOutcome | null, topic: string, time = Date.now()): void {
    if (!outcome || !this.unwatch) return
    if (outcome.error) {
      const event = { kind: 'rejected' as const, code: outcome.error, topic }
      if (this.deps.accepts && !this.deps.accepts(event)) return
      this.note(event)
      return
    }
    if ((outcome.kind === 'attrs' || outcome.kind === 'attr') && outcome.entityId && this.watchedDevices.has(outcome.deviceId)) {
      const key = `${outcome.deviceId}\u0000${outcome.entityId}`
      let seen = this.measures.get(key)
      if (!seen) {
        if (this.measures.size >= MAX_MEASURED) this.measures.delete(this.measures.keys().next().value as string)
        this.measures.set(key, (seen = []))
      }
      seen.push(outcome.traceId === undefined ? { at: time } : { at: time, traceId: outcome.traceId })
      if (seen.length > 2) seen.shift()
      this.soon()
    }
  }

  /**
   * An answered request of the north or NGSI API. The GUI's reads go through the engine API, not
   * HTTP: `entities.get` reports itself here as `GET /v2/entities/<id>` of the NGSI API, so that a
   * request check reading an entity is satisfied by the Device page as by curl.
   */
  observeRequest(r: ObservedRequest, own = false): void {
    if (!this.unwatch) return
    const event = { kind: 'answered' as const, request: r }
    if (!own && this.deps.accepts && !this.deps.accepts(event)) return
    this.note(event)
  }

  private onCommand(e: CommandEvent): void {
    if (e.traceId !== undefined) {
      if (this.commandTraces.size >= MAX_MEASURED) this.commandTraces.delete(this.commandTraces.keys().next().value as string)
      this.commandTraces.set(`${e.deviceId}\u0000${e.command}`, e.traceId)
    }
    if (e.status === 'ERROR' && e.info === 'EXPIRED') this.note({ kind: 'commandExpired', deviceId: e.deviceId, command: e.command, service: e.scope.service, servicePath: e.scope.servicePath })
    else this.soon()
  }

  /** Something that changes the context broker happened: with an external Orion, look again after it arrived. */
  private soon(): void {
    if (this.deps.context.mode === 'external') this.rechecks = 2
    this.markDirty()
  }

  private note(event: LessonsRuntime['pending'][number]): void {
    if (this.pending.length < MAX_PENDING_EVENTS) this.pending.push(event)
    this.markDirty()
  }

  // ---- watching

  private started(): LessonState[] {
    return [...this.states.values()].filter((s) => s.progress.startedAt !== undefined)
  }

  private devicesOf(lesson: Lesson): string[] {
    return lesson.steps.flatMap((s) => ('device_id' in s.check ? [s.check.device_id] : []))
  }

  private concerns(service: string, servicePath: string): boolean {
    return this.started().some((s) => s.lesson.service === service.toLowerCase() && s.lesson.servicePath === servicePath)
  }

  /** Hooks the engine while a lesson is started, unhooks it when none is. */
  private rewatch(): void {
    const started = this.started()
    this.watchedDevices = new Set(started.flatMap((s) => this.devicesOf(s.lesson)))
    if (started.length && !this.unwatch && !this.closed) {
      const agents = [this.deps, ...(this.deps.jsonAgent ? [this.deps.jsonAgent] : [])]
      const offs = [
        ...agents.map((a) =>
          a.registry.onChange((c) => {
            const [service, path] = c.kind === 'group' ? [c.group.service, c.group.subservice] : [c.device.service, c.device.service_path]
            if (this.concerns(service, path)) this.markDirty()
          })
        ),
        this.deps.context.onChange((service, path) => {
          if (this.concerns(service, path)) this.markDirty()
        }),
        ...agents.map((a) => a.commands.onEvent((e) => this.onCommand(e)))
      ]
      offs.push(this.deps.requests.listen((r) => this.observeRequest(r)))
      this.unwatch = () => {
        for (const off of offs) off()
      }
    } else if (!started.length && this.unwatch) {
      this.unwatch()
      this.unwatch = undefined
    }
  }

  // ---- evaluation

  private markDirty(): void {
    this.dirty = true
    if (this.timer || this.running || this.closed) return
    const wait = Math.max(0, this.lastRun + this.period - Date.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.lastRun = Date.now()
      this.running = this.evaluate()
        .catch((err: Error) => this.deps.logger.warn('LESSON_EVALUATION', `evaluating the lessons failed: ${err.message}`))
        .finally(() => {
          this.running = undefined
          if (this.dirty) this.markDirty()
          else if (this.rechecks > 0) {
            this.rechecks--
            this.markDirty()
          }
        })
    }, wait)
    this.timer.unref?.()
  }

  private async evaluate(): Promise<void> {
    this.dirty = false
    const events = this.pending
    this.pending = []
    const now = Date.now()
    for (const s of this.started()) {
      let changed = false
      const { lesson, progress } = s
      for (const event of events) changed = this.applyEvent(s, event, now) || changed
      const open = lesson.steps.filter((step, i) => progress.steps[i]!.state !== 'done' && step.check.kind !== 'request')
      if (open.length) {
        const snap = await this.snapshot(lesson, new Set(open.map((x) => contextNeeds(x.check)).filter((x) => x !== undefined)))
        lesson.steps.forEach((step, i) => {
          const p = progress.steps[i]!
          if (p.state === 'done' || step.check.kind === 'request' || !snap) return
          const r = evaluateCheck(step.check, snap, s.seen.has(step.id))
          if (!r.done && r.present) s.seen.add(step.id)
          if (r.done) changed = this.markDone(p, r, now) || changed
          else changed = this.light(lesson, step.id, p, otherAgentHints(step, snap), now) || changed
        })
      }
      if (changed) this.changed(s)
    }
  }

  private applyEvent(s: LessonState, event: LessonsRuntime['pending'][number], now: number): boolean {
    const { lesson, progress } = s
    let changed = false
    const hintEvent: HintEvent | undefined = event.kind === 'answered' ? { kind: 'request', request: event.request } : event
    this.problem.event(lesson.service, event, now)
    if (event.kind === 'answered') {
      lesson.steps.forEach((step, i) => {
        const p = progress.steps[i]!
        if (p.state !== 'done' && step.check.kind === 'request' && requestMatches(step.check, event.request, lesson.service)) changed = this.markDone(p, requestEvidence(event.request), now) || changed
      })
    }
    if (event.kind === 'commandExpired' && (event.service !== lesson.service || event.servicePath !== lesson.servicePath || !this.devicesOf(lesson).includes(event.deviceId))) return changed
    lesson.steps.forEach((step, i) => {
      const p = progress.steps[i]!
      if (p.state === 'done' || !hintEvent) return
      changed = this.light(lesson, step.id, p, matchHints(step, hintEvent, lesson.service), now) || changed
    })
    return changed
  }

  /** Shows the hints not shown yet; whether any was new. */
  private light(lesson: Lesson, stepId: string, p: StepProgressDto, matches: readonly HintMatch[], now: number): boolean {
    let changed = false
    for (const m of matches) {
      if (p.hints.some((h) => h.index === m.index)) continue
      this.problem.hint(now, lesson.id, stepId, m.observed)
      p.hints.push({ index: m.index, at: now, observed: m.observed })
      p.hints.sort((a, b) => a.index - b.index)
      changed = true
    }
    return changed
  }

  private markDone(p: StepProgressDto, r: Extract<CheckResult, { done: true }>, now: number): boolean {
    if (p.state === 'done') return false
    p.state = 'done'
    p.evidence = { at: now, summary: r.summary, ...(r.data === undefined ? {} : { data: r.data }), ...(r.traceId === undefined ? {} : { traceId: r.traceId }) }
    // Hints are for steps not done yet.
    p.hints = []
    return true
  }

  /** What the engine holds for the lesson's tenant; undefined when the context broker could not be read. */
  private async snapshot(lesson: Lesson, needs: Set<string>): Promise<TenantSnapshot | undefined> {
    const scope = { service: lesson.service, servicePath: lesson.servicePath }
    const snap: TenantSnapshot = {
      groups: this.deps.registry.groupsOf(scope.service, scope.servicePath),
      devices: this.deps.registry.devicesOf(scope.service, scope.servicePath),
      measures: (deviceId, entityId) => this.measures.get(`${deviceId}\u0000${entityId}`) ?? [],
      commandTrace: (deviceId, command) => this.commandTraces.get(`${deviceId}\u0000${command}`)
    }
    const json = this.deps.jsonAgent?.registry
    if (json) snap.json = { groups: json.groupsOf(scope.service, scope.servicePath), devices: json.devicesOf(scope.service, scope.servicePath) }
    try {
      if (needs.has('entities')) snap.entities = await this.deps.context.entities(scope)
      if (needs.has('registrations')) snap.registrations = await this.deps.context.registrations(scope)
      if (needs.has('subscriptions')) snap.subscriptions = await this.deps.context.subscriptions(scope)
    } catch (err) {
      this.deps.logger.debug('LESSON_READ', `lesson ${lesson.id}: the context broker could not be read (${(err as Error).message})`)
      // Registry checks still apply; context checks wait for the next change.
    }
    return snap
  }

  private changed(s: LessonState): void {
    for (const l of [...this.listeners]) l(structuredClone(s.progress))
    if (!this.closed) this.saver.schedule()
  }

  /** Stops watching and writes the progress. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.running?.catch(() => undefined)
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.unwatch?.()
    this.unwatch = undefined
    await this.saver.flush()
  }
}
