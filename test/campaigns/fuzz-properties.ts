/**
 * Property campaign over the engine's parsers of outside input: the UltraLight and JSON codecs, the
 * MQTT topic parser, Orion's q/mq simple query language and the settings (settings.json, IOTA_*
 * variables, flags). Every property states what a parser may do with any input: answer, or throw
 * its own documented error — never another exception.
 *
 * Each property runs for its share of the time budget (fast-check's interruptAfterTimeLimit) or a
 * fixed number of runs. A failure reports fast-check's seed and path, so that
 * `npm run fuzz -- --seed <seed> --path <path> --only <property>` replays the counterexample.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { parseAgentTopic } from '../../electron/engine/agent/topics'
import { CLI_OPTIONS, ConfigError, loadConfig, SETTINGS_FILE } from '../../electron/engine/config/load'
import { parseSimpleQuery } from '../../electron/engine/context/embedded/query/simple-query'
import { NgsiError } from '../../electron/engine/context/types'
import {
  castValue,
  formatMeasures,
  parseCommandResult,
  parseConfigurationRequest,
  parseMeasures,
  UlFormatError,
  UlParseError
} from '../../electron/engine/ultralight'
import * as json from '../../electron/engine/json'
import { SETTING_PATHS } from '../../shared/settings'

export interface PropertyBudget {
  /** Time per property in ms (the campaign stops each property then, without failing). */
  msPerProperty?: number
  /** Fixed number of runs per property (when no time is given). */
  numRuns?: number
  seed?: number
  path?: string
  /** Runs only the property of this name. */
  only?: string
}

export interface PropertyOutcome {
  name: string
  runs: number
  failed: boolean
  /** The counterexample, fast-check's seed and path, and the error. */
  report?: string
}

/** Text the parsers meet in practice: separators, line breaks, unicode and plain garbage mixed. */
const ulText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', '1', '2', '.', '-', '|', '#', '@', ' ', '\n', '\r', 't', 'e', 'é', '"', '{', '}') , maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 80 })
)
const queryText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', 'x', '.', '1', '9', '-', ':', ';', '=', '!', '<', '>', '~', '\'', ',', '(', ')', '*', ' ', 'T', 'Z', '%', '[', ']'), maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 60 })
)
const topicText = fc.oneof(
  fc.array(fc.constantFrom('', 'ul', 'UL', 'key', 'dev', 'attrs', 'cmdexe', 'configuration', 'commands', 't', '+', '#', 'é'), { maxLength: 7 }).map((s) => s.join('/')),
  fc.string({ unit: 'binary', maxLength: 40 })
)
/** Text close to JSON: valid JSON, JSON with one character changed or cut short, and garbage. */
const jsonText = fc.oneof(
  fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', '1', '-', '.', 'e', 't', 'n', ' ', '\n', 'a'), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.tuple(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), fc.nat(), fc.constantFrom('', '}', ',', '"', 'x')).map(([t, n, c]) => {
    const at = t.length === 0 ? 0 : n % t.length
    return t.slice(0, at) + c + t.slice(at + 1)
  })
)
/** A key or plain value the UL format can carry (no separators, no line breaks, not empty). */
const ulWord = fc.string({ unit: fc.constantFrom('a', 'b', 'z', 'K', '_', '-', '.', '1', '0', 'é', ' '), minLength: 1, maxLength: 8 })

/** What a property's run is given (a subset of fast-check's parameters, valid for any property). */
interface CheckOptions {
  seed?: number
  path?: string
  numRuns?: number
  interruptAfterTimeLimit?: number
  markInterruptAsFailure?: boolean
}

type Check = (options: CheckOptions) => { runs: number; failed: boolean; counterexample: unknown; seed: number; path?: string; error: unknown }

function check<Ts>(property: fc.IProperty<Ts>): Check {
  return (options) => {
    const d = fc.check(property, options)
    return { runs: d.numRuns, failed: d.failed, counterexample: d.counterexample, seed: d.seed, path: d.counterexamplePath ?? undefined, error: d.errorInstance }
  }
}

/** Throws unless `err` is one of the `allowed` error classes. */
function onlyThrows(err: unknown, ...allowed: Array<abstract new (...args: never[]) => Error>): void {
  if (!allowed.some((c) => err instanceof c)) throw err
}

function properties(tempDir: string): Record<string, Check> {
  const p: Record<string, Check> = {
    'ul.parseMeasures: a result or UlParseError': check(fc.property(ulText, (text) => {
      try {
        const groups = parseMeasures(text)
        if (!Array.isArray(groups) || groups.length === 0) throw new Error('parseMeasures answered no group without an error')
      } catch (err) {
        onlyThrows(err, UlParseError)
      }
    })),
    'ul.formatMeasures → parseMeasures gives the values back': check(fc.property(
      fc.array(fc.tuple(ulWord, fc.oneof(ulWord, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())), { minLength: 1, maxLength: 6 }),
      (pairs) => {
        let text: string
        try {
          text = formatMeasures(pairs)
        } catch (err) {
          onlyThrows(err, UlFormatError)
          return
        }
        const groups = parseMeasures(text)
        const group = groups[0]
        if (groups.length !== 1 || group?.kind !== 'measures') throw new Error(`${JSON.stringify(text)} did not parse back to one group of measures`)
        const expected = new Map<string, unknown>()
        for (const [k, v] of pairs) expected.set(k, castValue(typeof v === 'string' ? v : String(v)))
        for (const [k, v] of expected) {
          if (!Object.is(group.values.get(k), v) && JSON.stringify(group.values.get(k)) !== JSON.stringify(v)) {
            throw new Error(`${JSON.stringify(text)}: ${k} read back as ${JSON.stringify(group.values.get(k))}, sent ${JSON.stringify(v)}`)
          }
        }
        if (group.values.size !== expected.size) throw new Error(`${JSON.stringify(text)}: ${group.values.size} keys read back, ${expected.size} sent`)
      }
    )),
    'ul.parseCommandResult and parseConfigurationRequest: a result or UlParseError': check(fc.property(ulText, (text) => {
      try {
        parseCommandResult(text)
      } catch (err) {
        onlyThrows(err, UlParseError)
      }
      try {
        parseConfigurationRequest(text)
      } catch (err) {
        onlyThrows(err, UlParseError)
      }
    })),
    'topics.parseAgentTopic: null or a topic with non-empty apikey and device': check(fc.property(topicText, (topic) => {
      const t = parseAgentTopic(topic)
      if (t && (t.apikey === '' || t.deviceId === '' || t.apikey.includes('/') || t.deviceId.includes('/'))) throw new Error(`bad split ${JSON.stringify(t)}`)
    })),
    'topics.parseAgentTopic: every device topic is recognised': check(fc.property(
      fc.constantFrom('', '/', 'ul/', '/ul/'),
      ulWord.filter((w) => !w.includes('/')),
      ulWord.filter((w) => !w.includes('/')),
      fc.constantFrom('attrs', 'cmdexe', 'configuration/commands', 'attrs/t'),
      (prefix, apikey, deviceId, suffix) => {
        const t = parseAgentTopic(`${prefix}${apikey}/${deviceId}/${suffix}`)
        const kind = suffix === 'attrs/t' ? 'attr' : suffix === 'configuration/commands' ? 'configuration' : suffix
        // "ul" as an apikey is ambiguous with the prefix; the reference reads it as the prefix.
        if (apikey.toLowerCase() === 'ul') return
        if (!t || t.kind !== kind || t.apikey !== apikey || t.deviceId !== deviceId) throw new Error(`not recognised: ${JSON.stringify(t)}`)
      }
    )),
    'query.parseSimpleQuery: statements or a 400 BadRequest': check(fc.property(queryText, fc.constantFrom('q' as const, 'mq' as const), (text, language) => {
      try {
        const statements = parseSimpleQuery(text, language)
        if (!Array.isArray(statements)) throw new Error('no statements')
      } catch (err) {
        onlyThrows(err, NgsiError)
        if ((err as NgsiError).status !== 400) throw err
      }
    })),
    'json: every decoder gives a result or JsonParseError': check(fc.property(jsonText, (text) => {
      for (const decode of [json.parseMeasures, json.parseCommandResults, json.parseConfigurationRequests, json.parseCommandAnswer, json.parseSingleMeasure]) {
        try {
          decode(text)
        } catch (err) {
          onlyThrows(err, json.JsonParseError)
        }
      }
    })),
    'json.formatCommand → parseCommandResults gives the value back': check(fc.property(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.jsonValue({ maxDepth: 4 }),
      (command, value) => {
        const back = json.parseCommandResults(json.formatCommand(command, value))
        if (back.length !== 1 || back[0]!.command !== command || JSON.stringify(back[0]!.result) !== JSON.stringify(value)) {
          throw new Error(`${command}=${JSON.stringify(value)} read back as ${JSON.stringify(back)}`)
        }
      }
    )),
    'settings: any settings.json, IOTA_* variables and flags give a configuration or a ConfigError': check(fc.property(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc
          .dictionary(fc.constantFrom(...SETTING_PATHS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
          .map((flat) => JSON.stringify(nest(flat)))
      ),
      fc.dictionary(
        fc.constantFrom('IOTA_NORTH_PORT', 'IOTA_CB_URL', 'IOTA_MQTT_HOST', 'IOTA_MQTT_PORT', 'IOTA_LOG_LEVEL', 'IOTA_EXPRESS_LIMIT', 'IOTA_CB_HOST', 'IOTA_MQTT_QOS'),
        fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String)),
        { maxKeys: 3 }
      ),
      fc.dictionary(fc.constantFrom(...Object.keys(CLI_OPTIONS)), fc.oneof(fc.string({ maxLength: 12 }), fc.boolean(), fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })), { maxKeys: 3 }),
      (settingsText, env, flags) => {
        writeFileSync(join(tempDir, SETTINGS_FILE), settingsText)
        try {
          loadConfig({ dataDir: tempDir, env, flags })
        } catch (err) {
          onlyThrows(err, ConfigError)
        }
      }
    ))
  }
  return p
}

/** `{"a.b": 1}` → `{a: {b: 1}}`. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.')
    let node = out
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
    node[parts[parts.length - 1]!] = value
  }
  return out
}

/** Runs every property (or `only`) within its budget. */
export function runProperties(budget: PropertyBudget): PropertyOutcome[] {
  const dir = mkdtempSync(join(tmpdir(), 'ulcc-fuzz-settings-'))
  try {
    const outcomes: PropertyOutcome[] = []
    for (const [name, run] of Object.entries(properties(dir))) {
      if (budget.only && budget.only !== name) continue
      const options: CheckOptions = { seed: budget.seed, path: budget.path }
      if (budget.msPerProperty) Object.assign(options, { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budget.msPerProperty, markInterruptAsFailure: false })
      else options.numRuns = budget.numRuns ?? 100
      const d = run(options)
      outcomes.push({
        name,
        runs: d.runs,
        failed: d.failed,
        report: d.failed ? `${name}: ${JSON.stringify(d.counterexample)} — replay with --only "${name}" --seed ${d.seed} --path "${d.path}"\n${String(d.error)}` : undefined
      })
    }
    return outcomes
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
