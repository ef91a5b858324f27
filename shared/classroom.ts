/**
 * Classroom mode (`serve --classroom`, docs/classroom.md): the trainer's computer serves a room.
 * Each trainee joins with a name and gets an own tenant (`fiware-service` derived from the name),
 * an own API key for the tutorial-7 group, and own lessons and progress. The trainer's page (the
 * GUI token printed by `serve`) sees a live grid of trainees × steps.
 *
 * Types and constants only: imported by the engine, the GUI server and the page.
 */
import type { LessonText } from './lessons'

/** The page's URL parameter carrying the classroom's join code (`/?join=…`). */
export const JOIN_PARAM = 'join'
/** The WebSocket's query parameter carrying a trainee's own token (`/ws?trainee=…`). */
export const TRAINEE_PARAM = 'trainee'
/** Where a page posts `{code, name}` to join (`ClassroomJoinRequest` → `ClassroomJoinAnswer`). */
export const JOIN_PATH = '/classroom/join'
/** A trainee's name: 1 to 40 characters once trimmed. */
export const MAX_TRAINEE_NAME = 40

export interface ClassroomJoinRequest {
  code: string
  name: string
}

export type ClassroomJoinAnswer =
  | { ok: true; token: string; trainee: TraineeDto }
  | { ok: false; error: { name: 'BAD_REQUEST' | 'WRONG_CODE' | 'NAME_TAKEN' | 'CLASSROOM_FULL' | 'NO_CLASSROOM'; message: string } }

/** One trainee as the trainer and the trainee see them. */
export interface TraineeDto {
  id: string
  name: string
  /** The trainee's tenant: `fiware-service` of every lesson (servicePath stays the lesson's). */
  service: string
  /** The API key the trainee's lessons use instead of the tutorial's (groups are unique by key across tenants). */
  apikey: string
  joinedAt: number
}

/** Who this page is, in `classroom.whoami`. */
export type ClassroomRoleDto =
  | { role: 'single' }
  /** `traineeUrls`: the addresses trainees open (`http://<address>:<port>/?join=<code>`), one per listening address. */
  | { role: 'trainer'; joinCode: string; traineeUrls: string[]; trainees: number }
  | { role: 'trainee'; trainee: TraineeDto }

export interface ClassroomGridLessonDto {
  id: string
  order: number
  title: LessonText
  steps: Array<{ id: string; goal: LessonText }>
}

/** The last problem seen in a trainee's tenant: a hint that applied, a refused request or message. */
export interface TraineeProblemDto {
  at: number
  lessonId?: string
  stepId?: string
  /** What was observed, as the engine words it (e.g. `POST /iot/services → 409 DUPLICATE_GROUP`). */
  text: string
}

export interface ClassroomGridRowDto {
  trainee: TraineeDto
  /** Open pages of this trainee right now. */
  connected: number
  lastSeenAt: number
  /** By lesson id: the state of each step, in the lesson's order. */
  steps: Record<string, Array<'todo' | 'done'>>
  lastProblem?: TraineeProblemDto
}

export interface ClassroomGridDto {
  lessons: ClassroomGridLessonDto[]
  rows: ClassroomGridRowDto[]
}
