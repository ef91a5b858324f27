/**
 * Classroom mode (docs/classroom.md): the trainees of a class, each with an own tenant, API key,
 * lessons runtime and progress, checked against the same engine as the trainer's. The trainer's
 * grid (trainees × steps, with each one's last problem) is built here; the transports decide who
 * may see what (classroom/trainee-api.ts).
 *
 * What an untenanted request or a refused message is attributed to: a request that carries a
 * `fiware-service` belongs to the trainee of that tenant; one without belongs to a trainee only
 * when that trainee is the only one whose pages come from the request's address; a refused MQTT
 * message belongs to the trainee whose API key its topic carries. Anything else is nobody's.
 */
import { join } from 'node:path'
import type { ClassroomGridDto, ClassroomGridRowDto, TraineeDto } from '../../../shared/classroom'
import type { AgentOutcome } from '../agent/southbound'
import type { LessonCatalog } from '../lessons/catalog'
import { LessonsRuntime, type LessonsRuntimeDeps, type ObservedEvent } from '../lessons/runtime'
import { Roster } from './roster'

export interface ClassroomOptions {
  /** A fixed join code (`--classroom-code`); else the saved one, else a new one. */
  code?: string
  /** The addresses trainees open (`http://<address>:<gui port>/?join=<code>`), known once the GUI server listens. */
  traineeUrls?: () => string[]
}

export type ClassroomDeps = Omit<LessonsRuntimeDeps, 'dirs' | 'catalog' | 'learner' | 'accepts'> & { catalog: LessonCatalog }

interface Member {
  trainee: TraineeDto
  runtime: LessonsRuntime
  connected: number
  lastSeenAt: number
  offs: Array<() => void>
}

/** The API key a topic carries: `[/][ul/|json/]<apikey>/<device>/…` (either agent's topics). */
export function topicApikey(topic: string): string | undefined {
  const parts = topic.replace(/^\//, '').split('/')
  const prefix = parts[0]?.toLowerCase()
  if (prefix === 'ul' || prefix === 'json') parts.shift()
  return parts.length >= 2 ? parts[0] : undefined
}

export class Classroom {
  private readonly members = new Map<string, Member>()
  /** Open pages by address, by trainee: who an untenanted request comes from. */
  private readonly addresses = new Map<string, Map<string, number>>()
  private readonly rowListeners = new Set<(row: ClassroomGridRowDto) => void>()
  private closed = false

  private constructor(
    private readonly deps: ClassroomDeps,
    private readonly roster: Roster,
    private readonly opts: ClassroomOptions
  ) {}

  static async open(deps: ClassroomDeps, opts: ClassroomOptions = {}): Promise<Classroom> {
    const problems: string[] = []
    const roster = await Roster.open(join(deps.dataDir, 'classroom'), opts.code, problems)
    for (const p of problems) deps.logger.warn('CLASSROOM_ROSTER', p)
    const classroom = new Classroom(deps, roster, opts)
    await Promise.all(roster.list().map((t) => classroom.admit(t)))
    return classroom
  }

  get code(): string {
    return this.roster.code
  }

  traineeUrls(): string[] {
    return this.opts.traineeUrls?.() ?? []
  }

  trainees(): TraineeDto[] {
    return [...this.members.values()].map((m) => ({ ...m.trainee }))
  }

  byToken(token: string): TraineeDto | undefined {
    const t = this.roster.byToken(token)
    return t && this.members.has(t.id) ? t : undefined
  }

  async join(name: unknown): ReturnType<Roster['join']> {
    if (this.closed) return { ok: false, error: { name: 'BAD_REQUEST', message: 'the class is closing' } }
    const joined = await this.roster.join(name)
    if (joined.ok) {
      await this.admit(joined.trainee)
      this.deps.logger.info('CLASSROOM_JOINED', `"${joined.trainee.name}" joined the class (tenant ${joined.trainee.service}, API key ${joined.trainee.apikey})`)
    }
    return joined
  }

  /** The trainee's lessons runtime. */
  runtime(traineeId: string): LessonsRuntime | undefined {
    return this.members.get(traineeId)?.runtime
  }

  /** A page of the trainee opened (from `address`); the returned function says it closed. */
  connect(traineeId: string, address: string | undefined): () => void {
    const m = this.members.get(traineeId)
    if (!m) return () => undefined
    m.connected++
    m.lastSeenAt = Date.now()
    if (address !== undefined) {
      let by = this.addresses.get(address)
      if (!by) this.addresses.set(address, (by = new Map<string, number>()))
      by.set(traineeId, (by.get(traineeId) ?? 0) + 1)
    }
    this.emitRow(m)
    let open = true
    return () => {
      if (!open) return
      open = false
      m.connected--
      m.lastSeenAt = Date.now()
      const by = address === undefined ? undefined : this.addresses.get(address)
      if (by) {
        const n = (by.get(traineeId) ?? 1) - 1
        if (n > 0) by.set(traineeId, n)
        else by.delete(traineeId)
        if (by.size === 0) this.addresses.delete(address!)
      }
      this.emitRow(m)
    }
  }

  /** A request of the trainee's page reached the engine. */
  touch(traineeId: string): void {
    const m = this.members.get(traineeId)
    if (m) m.lastSeenAt = Date.now()
  }

  grid(): ClassroomGridDto {
    const lessons = this.deps.catalog.lessons.map((l) => ({ id: l.id, order: l.order, title: l.title, steps: l.steps.map((s) => ({ id: s.id, goal: s.goal })) }))
    const rows = [...this.members.values()].sort((a, b) => a.trainee.joinedAt - b.trainee.joinedAt).map((m) => this.row(m))
    return { lessons, rows }
  }

  /** Each change of a trainee's row: a step done, a problem, a page opened or closed, a new trainee. */
  onRow(listener: (row: ClassroomGridRowDto) => void): () => void {
    this.rowListeners.add(listener)
    return () => this.rowListeners.delete(listener)
  }

  /** Every MQTT message the agent handled (the broker's ingress): each trainee's runtime takes what is theirs. */
  observeMessage(outcome: AgentOutcome | null, topic: string): void {
    for (const m of this.members.values()) m.runtime.observeMessage(outcome, topic)
  }

  async close(): Promise<void> {
    this.closed = true
    const members = [...this.members.values()]
    this.members.clear()
    for (const m of members) for (const off of m.offs) off()
    await Promise.all(members.map((m) => m.runtime.close()))
    this.rowListeners.clear()
  }

  private row(m: Member): ClassroomGridRowDto {
    const steps: Record<string, Array<'todo' | 'done'>> = {}
    for (const l of this.deps.catalog.lessons) {
      const p = m.runtime.progress(l.id)
      steps[l.id] = l.steps.map((s) => p?.steps.find((x) => x.stepId === s.id)?.state ?? 'todo')
    }
    const problem = m.runtime.problem.get()
    return { trainee: { ...m.trainee }, connected: m.connected, lastSeenAt: m.lastSeenAt, steps, ...(problem ? { lastProblem: problem } : {}) }
  }

  private emitRow(m: Member): void {
    if (this.closed || this.rowListeners.size === 0) return
    const row = this.row(m)
    for (const l of [...this.rowListeners]) l(row)
  }

  /** The one trainee whose pages come from this address, if exactly one. */
  private ownerOf(address: string | undefined): string | undefined {
    const by = address === undefined ? undefined : this.addresses.get(address)
    return by?.size === 1 ? by.keys().next().value : undefined
  }

  private accepts(t: TraineeDto, event: ObservedEvent): boolean {
    if (event.kind === 'rejected') {
      const key = topicApikey(event.topic)
      return key !== undefined && (key === t.apikey || key.startsWith(`${t.apikey}_`))
    }
    const r = event.request
    return r.tenant ? r.service === t.service : this.ownerOf(r.peer) === t.id
  }

  private async admit(trainee: TraineeDto): Promise<void> {
    const { catalog, ...deps } = this.deps
    const runtime = await LessonsRuntime.open({
      ...deps,
      dataDir: join(this.deps.dataDir, 'classroom', 'trainees', trainee.id),
      dirs: [],
      catalog,
      learner: { service: trainee.service, apikey: trainee.apikey },
      accepts: (event) => this.accepts(trainee, event)
    })
    if (this.closed) {
      await runtime.close()
      return
    }
    const m: Member = { trainee, runtime, connected: 0, lastSeenAt: trainee.joinedAt, offs: [] }
    m.offs.push(
      runtime.onProgress(() => this.emitRow(m)),
      runtime.problem.on(() => this.emitRow(m))
    )
    this.members.set(trainee.id, m)
    this.emitRow(m)
  }
}
