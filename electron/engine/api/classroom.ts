/**
 * `classroom.whoami`, `classroom.grid` and the `classroom` stream of the user's API (the desktop
 * app, plain `serve`, or the trainer's page of `serve --classroom`), and the gate through which
 * the GUI server lets trainees in (docs/classroom.md).
 */
import type { ClassroomGridRowDto, ClassroomJoinAnswer, TraineeDto } from '../../../shared/classroom'
import type { EngineApi, EventName, EventSubscribe } from '../../../shared/contract'
import type { Classroom } from '../classroom/classroom'
import { TRAINEE_STREAMS, traineeApi } from '../classroom/trainee-api'
import { ApiRequestError } from './errors'
import { Throttle, type EventHub } from './events'
import { lessonRequests, type LessonsSources } from './lessons'

/** A trainee's page, bound to the engine of the moment. */
export interface TraineeSession {
  trainee: TraineeDto
  api: EngineApi & { on: EventSubscribe }
  /** The streams the page may subscribe to. */
  streams: ReadonlySet<EventName>
  /** The page closed. */
  close(): void
}

/** How the GUI server reaches the classroom of the running engine. */
export interface ClassroomGate {
  readonly code: string
  join(name: unknown): Promise<ClassroomJoinAnswer>
  /** The session of a trainee's token; undefined for a token the class does not know. */
  session(token: string, address: string | undefined, pageHost?: string): TraineeSession | undefined
  /** Whether the token is a trainee's (the page's probe). */
  knows(token: string): boolean
  /** This engine is going away (a restart): the trainees' pages must connect again. */
  onClose(listener: () => void): () => void
}

export function classroomArea(classroom: Classroom | undefined, hub: EventHub): Pick<EngineApi, 'classroom.whoami' | 'classroom.grid'> {
  if (classroom) {
    hub.whileListened(['classroom'], () => {
      let dirty = new Map<string, ClassroomGridRowDto>()
      const throttle = new Throttle(() => {
        const rows = [...dirty.values()]
        dirty = new Map()
        if (rows.length) hub.emit('classroom', rows)
      })
      const off = classroom.onRow((row) => {
        dirty.set(row.trainee.id, row)
        throttle.request()
      })
      return () => {
        off()
        throttle.cancel()
      }
    })
  }
  return {
    'classroom.whoami': async () =>
      classroom ? { role: 'trainer', joinCode: classroom.code, traineeUrls: classroom.traineeUrls(), trainees: classroom.trainees().length } : { role: 'single' },
    'classroom.grid': async () => {
      if (!classroom) throw new ApiRequestError('NO_CLASSROOM', 'the engine is not in classroom mode (serve --classroom)', 404)
      return classroom.grid()
    }
  }
}

/** The gate of this engine's classroom; `full` is the engine's API, `sources` what trainees' lessons need. */
export function classroomGate(classroom: Classroom, full: EngineApi & { on: EventSubscribe }, sources: Omit<LessonsSources, 'lessons'>): ClassroomGate & { close(): void } {
  const closeListeners = new Set<() => void>()
  return {
    code: classroom.code,
    join: async (name) => {
      const r = await classroom.join(name)
      return r.ok ? { ok: true, token: r.token, trainee: r.trainee } : { ok: false, error: r.error }
    },
    knows: (token) => classroom.byToken(token) !== undefined,
    session: (token, address, pageHost) => {
      const trainee = classroom.byToken(token)
      const runtime = trainee && classroom.runtime(trainee.id)
      if (!trainee || !runtime) return undefined
      const disconnect = classroom.connect(trainee.id, address)
      const api = traineeApi({ full, trainee, runtime, lessons: lessonRequests(sources, runtime, pageHost), touch: () => classroom.touch(trainee.id) })
      return { trainee, api, streams: TRAINEE_STREAMS, close: disconnect }
    },
    onClose: (listener) => {
      closeListeners.add(listener)
      return () => closeListeners.delete(listener)
    },
    close: () => {
      for (const l of [...closeListeners]) l()
      closeListeners.clear()
    }
  }
}
