import { NgsiError } from '../types'
import { DESC } from './errors'

/**
 * How Orion turns per-entity results of an update into one answer (mongoUpdateContext.cpp:
 * "update coverage", OrionError::fillOrAppend). The first failure sets status and error name,
 * later ones only append to the description; a mix of successes and failures becomes
 * 422 PartialUpdate. The exact wording of the 4.x functional tests is kept, including the
 * missing " -" before "[entity itself]" in appended items.
 */

export type ActionType = 'append' | 'appendStrict' | 'update' | 'delete' | 'replace'

/** NGSI-v2 names, then the NGSIv1 spellings case-insensitively (UpdateActionType.cpp). */
export function parseActionType(text: string): ActionType | null {
  switch (text) {
    case 'append':
    case 'appendStrict':
    case 'update':
    case 'delete':
    case 'replace':
      return text
  }
  switch (text.toLowerCase()) {
    case 'update':
      return 'update'
    case 'append':
      return 'append'
    case 'append_strict':
      return 'appendStrict'
    case 'delete':
      return 'delete'
    case 'replace':
      return 'replace'
    default:
      return null
  }
}

export type Coverage = 'success' | 'partial' | 'attrsFail' | 'notFound'

export interface EntityOutcome {
  /** Orion's `enStr`: the id, plus `/type` when the request named a type. */
  label: string
  coverage: Coverage
  failure: 'none' | 'entity' | 'missingAttrs' | 'existingAttrs'
  failedAttrs: string[]
}

export function successOutcome(label: string): EntityOutcome {
  return { label, coverage: 'success', failure: 'none', failedAttrs: [] }
}

export function entityMissingOutcome(label: string): EntityOutcome {
  return { label, coverage: 'notFound', failure: 'entity', failedAttrs: [] }
}

/** An entity where `failed` of `requested` attributes could not be processed. */
export function attrsOutcome(label: string, kind: 'missingAttrs' | 'existingAttrs', failed: string[], requested: number): EntityOutcome {
  if (failed.length === 0) return successOutcome(label)
  return { label, coverage: failed.length === requested ? 'attrsFail' : 'partial', failure: kind, failedAttrs: failed }
}

export function labelOf(id: string, requestType: string | undefined): string {
  return requestType ? `${id}/${requestType}` : id
}

function fold(acc: Coverage | null, next: Coverage): Coverage {
  if (acc === null) return next
  switch (acc) {
    case 'success':
      return next === 'success' ? 'success' : 'partial'
    case 'attrsFail':
      return next === 'attrsFail' || next === 'notFound' ? 'attrsFail' : 'partial'
    case 'notFound':
      if (next === 'notFound') return 'notFound'
      return next === 'attrsFail' ? 'attrsFail' : 'partial'
    default:
      return 'partial'
  }
}

/** Combines the outcomes of one request; null means success (204). */
export function combineOutcomes(outcomes: EntityOutcome[]): NgsiError | null {
  let status = 0
  let name = ''
  let description = ''
  let coverage: Coverage | null = null
  for (const o of outcomes) {
    coverage = fold(coverage, o.coverage)
    if (o.failure === 'none') continue
    const list = `[ ${o.failedAttrs.join(', ')} ]`
    let full: string
    let append: string
    if (o.failure === 'entity') {
      full = `${DESC.doNotExist}${o.label} - [entity itself]`
      append = `, ${o.label} [entity itself]`
    } else {
      const prefix = o.failure === 'missingAttrs' ? DESC.doNotExist : DESC.attrsAlreadyExist
      full = `${prefix}${o.label} - ${list}`
      append = `, ${o.label} - ${list}`
    }
    if (status === 0) {
      status = o.failure === 'entity' ? 404 : 422
      name = o.failure === 'entity' ? 'NotFound' : 'Unprocessable'
      description = full
    } else description += append
  }
  if (status === 0) return null
  if (coverage === 'partial') return new NgsiError(422, 'PartialUpdate', description)
  return new NgsiError(status, name, description)
}

/**
 * Single-entity operations rewrite some answers (adaptErrorCodeForSingleEntityOperation): a
 * missing entity gets the generic text, and on attribute URLs a missing attribute is a 404.
 */
export function adaptForSingleEntity(err: NgsiError | null, attributeUrl: boolean): NgsiError | null {
  if (!err) return null
  if (err.status === 404 && err.error === 'NotFound') return new NgsiError(404, 'NotFound', DESC.entityNotFound)
  if (attributeUrl && err.status === 422 && err.error === 'Unprocessable') {
    return new NgsiError(404, 'NotFound', DESC.attributeNotFound)
  }
  return err
}
