import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AclCheckDto, AclProblemDto, EngineApi, MqttAuthFilesDto } from '../../../shared/contract'
import type { FixedSettings } from '../../../shared/settings'
import { parseAclFile } from '../broker/auth/acl-file'
import { AuthFileError, deletePasswordFileUser, passwordFileUsers, setPasswordFileUser, writeAclFile } from '../broker/auth/auth-file-writer'
import { parsePasswordFile } from '../broker/auth/password-file'
import { fixedSettings, fixedSource } from '../config/settings-sources'
import { SettingsError } from '../config/settings-store'
import type { SettingsSources, SettingsTarget } from './settings'
import { ApiRequestError } from './errors'

type MqttAuthRequests = 'mqttAuth.get' | 'mqttAuth.setUser' | 'mqttAuth.deleteUser' | 'mqttAuth.checkAcl' | 'mqttAuth.setAcl'

/** Where the settings page creates the files when none is set (in the data directory, next to settings.json). */
export const DEFAULT_PASSWORD_FILE = 'mosquitto/passwd'
export const DEFAULT_ACL_FILE = 'mosquitto/acl'

type FileKey = 'passwordFile' | 'aclFile'

/** `line N: message` (the parsers' form) as a line and a message. */
function byLine(problem: string): AclProblemDto {
  const m = /^line (\d+): (.*)$/s.exec(problem)
  return m ? { line: Number(m[1]), message: m[2]! } : { line: 0, message: problem }
}

function checkAcl(text: string): AclCheckDto {
  const parsed = parseAclFile(text)
  return { problems: parsed.problems.map(byLine), remarks: parsed.remarks.map(byLine), lines: parsed.rules.lines }
}

async function readIfThere(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ApiRequestError('MQTT_AUTH_FILE', `${path} cannot be read: ${(err as Error).message}`, 500)
  }
}

function toApi(err: unknown): unknown {
  if (err instanceof AuthFileError) return new ApiRequestError(err.reason === 'notFound' ? 'NOT_FOUND' : 'BAD_REQUEST', err.message, err.reason === 'notFound' ? 404 : 400)
  return err
}

/**
 * The embedded broker's users and ACL, managed in Mosquitto's own files
 * (docs/compatibility/mqtt-broker.md): the writer keeps every other line, writes atomically, and
 * the broker's watch reads the change (no restart). Without a file set, the first change creates
 * one in the data directory and saves its path in the settings; the broker uses it from the next
 * start (as any setting that needs a restart).
 */
export function mqttAuthArea(target: SettingsTarget, sources: SettingsSources): Pick<EngineApi, MqttAuthRequests> {
  const { settings, logger } = target
  const fixed: FixedSettings = fixedSettings(sources.env ?? process.env, sources.flags ?? {}, settings.config)

  const embedded = (): boolean => (settings.values().mqtt?.mode ?? 'embedded') === 'embedded'
  const requireEmbedded = (): void => {
    if (!embedded()) throw new ApiRequestError('NOT_EMBEDDED', 'the MQTT broker is external: its users and ACL are managed where it runs', 409)
  }
  /** The file the settings name (saved value, which may wait for a restart). */
  const saved = (key: FileKey): string | undefined => {
    const m = settings.values().mqtt
    return m?.mode === 'embedded' ? m[key] : undefined
  }
  const inForce = (key: FileKey): string | undefined => {
    const m = settings.config.mqtt
    return m.mode === 'embedded' ? m[key] : undefined
  }
  /** The file to write: the one set, or a new one in the data directory whose path is saved in the settings. */
  const fileFor = async (key: FileKey): Promise<string> => {
    const set = saved(key)
    if (set) return set
    const file = join(settings.config.dataDir, key === 'passwordFile' ? DEFAULT_PASSWORD_FILE : DEFAULT_ACL_FILE)
    await mkdir(dirname(file), { recursive: true, mode: 0o700 })
    return file
  }
  const adopt = async (key: FileKey, file: string): Promise<boolean> => {
    if (saved(key) !== file) {
      try {
        await settings.update({ mqtt: { mode: 'embedded', [key]: file } }, fixed)
      } catch (err) {
        if (err instanceof SettingsError) throw new ApiRequestError(err.reason === 'fixed' ? 'FIXED_SETTING' : 'BAD_REQUEST', err.message, err.reason === 'fixed' ? 409 : 400)
        throw err
      }
      logger.write('INFO', 'engine', 'SETTINGS_SAVED', `settings saved, applied at the next start: mqtt.${key}`)
    }
    return inForce(key) !== file
  }

  return {
    'mqttAuth.get': async (): Promise<MqttAuthFilesDto> => {
      const passwordFile = saved('passwordFile')
      const aclFile = saved('aclFile')
      const passwordText = embedded() ? await readIfThere(passwordFile) : undefined
      const aclText = embedded() ? ((await readIfThere(aclFile)) ?? '') : ''
      const problems = [
        ...(passwordText !== undefined ? parsePasswordFile(passwordText).problems.map((p) => `${passwordFile}: ${p}`) : []),
        ...parseAclFile(aclText).problems.map((p) => `${aclFile}: ${p}`)
      ]
      return {
        embedded: embedded(),
        ...(passwordFile ? { passwordFile } : {}),
        ...(aclFile ? { aclFile } : {}),
        fixed: { passwordFile: fixedSource(fixed, 'mqtt.passwordFile') !== undefined, aclFile: fixedSource(fixed, 'mqtt.aclFile') !== undefined },
        restartRequired: { passwordFile: (passwordFile ?? '') !== (inForce('passwordFile') ?? ''), aclFile: (aclFile ?? '') !== (inForce('aclFile') ?? '') },
        users: passwordText !== undefined ? passwordFileUsers(passwordText) : [],
        aclText,
        problems
      }
    },
    'mqttAuth.setUser': async ({ username, password }) => {
      requireEmbedded()
      const file = await fileFor('passwordFile')
      try {
        const { created } = await setPasswordFileUser(file, username, password)
        logger.write('INFO', 'engine', 'MQTT_USER_SET', `${file}: MQTT user "${username}" ${created ? 'created' : 'password changed'}`)
        return { file, created, restartRequired: await adopt('passwordFile', file) }
      } catch (err) {
        throw toApi(err)
      }
    },
    'mqttAuth.deleteUser': async ({ username }) => {
      requireEmbedded()
      const file = saved('passwordFile')
      if (!file) throw new ApiRequestError('NOT_FOUND', 'no password file is set', 404)
      try {
        await deletePasswordFileUser(file, username)
      } catch (err) {
        throw toApi(err)
      }
      logger.write('INFO', 'engine', 'MQTT_USER_DELETED', `${file}: MQTT user "${username}" deleted`)
      return { file, restartRequired: inForce('passwordFile') !== file }
    },
    'mqttAuth.checkAcl': async ({ text }) => checkAcl(text),
    'mqttAuth.setAcl': async ({ text }) => {
      requireEmbedded()
      const check = checkAcl(text)
      if (check.problems.length > 0) {
        throw new ApiRequestError('BAD_REQUEST', `the ACL has errors: ${check.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`, 400)
      }
      const file = await fileFor('aclFile')
      try {
        await writeAclFile(file, text)
      } catch (err) {
        throw toApi(err)
      }
      logger.write('INFO', 'engine', 'MQTT_ACL_SET', `${file}: MQTT ACL saved (${check.lines} lines)`)
      return { file, ...check, restartRequired: await adopt('aclFile', file) }
    }
  }
}
