/**
 * A learner's last problem (the trainer's grid in classroom mode, docs/classroom.md): a hint that
 * applied, a refused request of the learner's tenant, or a refused MQTT message. Several lessons
 * may see the same event in one evaluation: the first wording of a moment stays, unless a hint
 * words it better.
 */
import type { TraineeProblemDto } from '../../../shared/classroom'
import type { ObservedRequest } from '../north/request-observer'

export type ProblemEvent = { kind: 'answered'; request: ObservedRequest } | { kind: 'rejected'; code: string; topic: string } | { kind: string }

export class LastProblem {
  private problem: TraineeProblemDto | undefined
  private readonly listeners = new Set<(p: TraineeProblemDto) => void>()

  get(): TraineeProblemDto | undefined {
    return this.problem && { ...this.problem }
  }

  on(listener: (p: TraineeProblemDto) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A hint of a step applied: its observation is the problem, in the lesson and step it concerns. */
  hint(at: number, lessonId: string, stepId: string, observed: string): void {
    this.set({ at, lessonId, stepId, text: observed })
  }

  /** A refused request of the lesson's tenant (or of none), or a refused message. */
  event(service: string, event: ProblemEvent, at: number): void {
    if (this.problem?.at === at) return
    if (event.kind === 'answered' && 'request' in event) {
      const r = event.request
      if (r.status >= 400 && (!r.tenant || r.service === service)) this.set({ at, text: `${r.method} ${r.path}: ${r.status}${r.error ? ` ${r.error}` : ''}` })
    } else if (event.kind === 'rejected' && 'topic' in event) this.set({ at, text: `${event.topic}: rejected (${event.code})` })
  }

  private set(p: TraineeProblemDto): void {
    this.problem = p
    for (const l of [...this.listeners]) l({ ...p })
  }
}
