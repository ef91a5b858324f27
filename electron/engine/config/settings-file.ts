import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Compile } from 'typebox/compile'
import { writeFileAtomic } from '../persist/atomic-file'
import { SETTINGS_FILE } from './load'
import type { Settings } from '../../../shared/settings'
import { SettingsFile } from './schema'
import type { EngineConfig } from './types'

/** Reading, changing and writing `<dataDir>/settings.json` for the GUI's settings page. */

type Json = Record<string, unknown>

const validator = Compile(SettingsFile)

export function settingsFilePath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE)
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The configuration in settings.json's shape (what the file would hold to produce it). The MQTT
 * password is left out unless `secrets`: the settings page may be served to a browser, so a
 * password is write-only there.
 */
export function settingsView(c: Readonly<EngineConfig>, secrets = false): Settings {
  const mqtt: Settings['mqtt'] = c.mqtt.mode === 'external' ? { ...c.mqtt, password: secrets ? c.mqtt.password : undefined } : { ...c.mqtt }
  return dropUndefined<Settings>({
    hosts: [...c.hosts],
    allowedHosts: [...c.allowedHosts],
    cors: c.cors.origin ? { ...c.cors } : { maxAge: c.cors.maxAge },
    tutorialHosts: c.tutorialHosts,
    ports: { ...c.ports },
    mqtt,
    mqttPublish: { ...c.mqttPublish },
    contextBroker: c.contextBroker.mode === 'external' ? { ...c.contextBroker, auth: c.contextBroker.auth && authView(c.contextBroker.auth, secrets) } : { mode: 'embedded' },
    iota: { ...c.iota },
    persistence: { ...c.persistence },
    limits: { ...c.limits },
    history: { ...c.history },
    logLevel: c.logLevel
  })
}

/** Authentication towards Orion; its token, trust, password and client secret only with `secrets` (write-only like the MQTT password). */
function authView(a: NonNullable<Extract<EngineConfig['contextBroker'], { mode: 'external' }>['auth']>, secrets: boolean): typeof a {
  return secrets ? { ...a } : { ...a, password: undefined, clientSecret: undefined, token: undefined, trust: undefined }
}

/** A copy without the fields whose value is undefined (JSON has no undefined). */
function dropUndefined<T>(v: T): T {
  if (!isObject(v)) return v
  const out: Json = {}
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = dropUndefined(x)
  return out as T
}

/**
 * JSON merge patch (RFC 7386): objects merge, `null` removes a key (back to its default), anything
 * else replaces. A patch that changes `mode` of `mqtt` or `contextBroker` replaces the whole object,
 * since the fields of one mode are not allowed in the other.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch
  const base: Json = isObject(target) && !(typeof patch.mode === 'string' && target.mode !== patch.mode) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k]
    else base[k] = mergePatch(base[k], v)
  }
  return base
}

export function isSettings(v: unknown): v is Settings {
  return validator.Check(v)
}

/** Problems of a settings object against the settings.json schema (empty when valid). */
export function settingsProblems(settings: unknown): string[] {
  if (validator.Check(settings)) return []
  return [...validator.Errors(settings)]
    .filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf')
    .slice(0, 5)
    .map((e) => {
      // Name the unknown key: "must not have additional properties" alone does not say which.
      const extra = (e.params as { additionalProperties?: unknown } | undefined)?.additionalProperties
      const detail = Array.isArray(extra) ? ` (${extra.join(', ')})` : ''
      return `${e.instancePath || '/'} ${e.message}${detail}`
    })
}

/** Dotted paths of the values a patch sets or removes (arrays are values; `null` is a removal). */
export function patchPaths(patch: unknown, prefix = ''): string[] {
  if (!isObject(patch)) return prefix ? [prefix] : []
  const out: string[] = []
  for (const [k, v] of Object.entries(patch)) {
    const p = prefix ? `${prefix}.${k}` : k
    if (isObject(v)) out.push(...patchPaths(v, p))
    else out.push(p)
  }
  return out
}

/** Dotted paths of every leaf value of `obj` under `path` (the path itself for a leaf). */
export function leafPaths(obj: unknown, path: string): string[] {
  const v = valueAt(obj, path)
  if (!isObject(v)) return [path]
  return Object.keys(v).flatMap((k) => leafPaths(obj, `${path}.${k}`))
}

export function valueAt(obj: unknown, path: string): unknown {
  let v = obj
  for (const k of path.split('.')) {
    if (!isObject(v)) return undefined
    v = v[k]
  }
  return v
}

/** Sets a dotted path, creating the objects on the way. */
export function setAt(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.')
  let o = obj
  for (const k of keys.slice(0, -1)) {
    if (!isObject(o[k])) o[k] = {}
    o = o[k] as Json
  }
  if (value === undefined) delete o[keys[keys.length - 1]!]
  else o[keys[keys.length - 1]!] = value
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The current content of settings.json: {} when absent. A file that is not valid JSON or not valid
 * settings (the engine ignored it at start, with a warning) is copied to settings.json.bak first,
 * so that saving from the GUI does not silently lose what the user wrote by hand.
 */
export async function readSettingsForUpdate(file: string): Promise<{ settings: Settings; backedUp?: string }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {} }
    throw err
  }
  try {
    const data: unknown = JSON.parse(text)
    if (isSettings(data)) return { settings: data }
  } catch {
    /* not JSON: backed up below */
  }
  const backup = `${file}.bak`
  await copyFile(file, backup)
  return { settings: {}, backedUp: backup }
}

/** Writes settings.json atomically (a crash leaves either the old or the new settings, never half). */
export async function writeSettingsAtomic(file: string, settings: Settings): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n')
}
