import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseAclFile } from '../../../electron/engine/broker/auth/acl-file'
import {
  AuthFileError,
  deletePasswordFileUser,
  hashPassword,
  passwordFileUsers,
  setPasswordFileUser,
  usernameProblem,
  withUser,
  withoutUser,
  writeAclFile
} from '../../../electron/engine/broker/auth/auth-file-writer'
import { parsePasswordFile, verifyPassword } from '../../../electron/engine/broker/auth/password-file'
import { MOSQUITTO, MOSQUITTO_PASSWD, MOSQUITTO_PUB, requirePrograms, runClient, startMosquitto } from '../../helpers/mosquitto'
import { tempDir } from '../../helpers/temp-dir'

const dirs: Array<() => void> = []
afterEach(() => {
  for (const c of dirs.splice(0)) c()
})
function temp(): string {
  const d = tempDir('ulcc-authw-')
  dirs.push(d.cleanup)
  return d.path
}

describe('password file writer', () => {
  it('writes $7$ hashes with 101 iterations and a 12-byte salt that the parser verifies', async () => {
    const hash = await hashPassword('s3cret: with spaces')
    expect(hash).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/)
    const { users, problems } = parsePasswordFile(`alice:${hash}\n`)
    expect(problems).toEqual([])
    expect(await verifyPassword(users.get('alice')!, Buffer.from('s3cret: with spaces'))).toBe(true)
    expect(await verifyPassword(users.get('alice')!, Buffer.from('s3cret'))).toBe(false)
    // A random salt: the same password hashes differently each time.
    expect(await hashPassword('x')).not.toBe(await hashPassword('x'))
  })

  it('changes a user in place and keeps comments, blank lines and other users as they are', () => {
    const text = '# the class\nalice:$6$old\n\n  bob :$7$old\n#carol:x\n'
    const changed = withUser(text, 'bob', '$7$new')
    expect(changed).toEqual({ created: false, text: '# the class\nalice:$6$old\n\nbob:$7$new\n#carol:x\n' })
    const added = withUser('alice:$6$old', 'carol', '$7$c')
    expect(added).toEqual({ created: true, text: 'alice:$6$old\ncarol:$7$c\n' })
    expect(withUser('', 'dave', 'h')).toEqual({ created: true, text: 'dave:h\n' })
    // The commented-out carol is not a user.
    expect(withoutUser(text, 'carol').removed).toBe(0)
    expect(withoutUser(text, 'alice')).toEqual({ removed: 1, text: '# the class\n\n  bob :$7$old\n#carol:x\n' })
    expect(passwordFileUsers(text)).toEqual(['alice', 'bob'])
  })

  it('refuses user names the file cannot hold', () => {
    expect(usernameProblem('a:b')).toMatch(/":"/)
    expect(usernameProblem('a\nb')).toMatch(/line breaks/)
    expect(usernameProblem(' a')).toMatch(/space/)
    expect(usernameProblem('#a')).toMatch(/comment/)
    expect(usernameProblem('')).toMatch(/empty/)
    expect(usernameProblem('sensor-01 ünï')).toBeUndefined()
  })

  it('creates, changes and deletes users in a file, atomically replaced', async () => {
    const file = join(temp(), 'passwd')
    writeFileSync(file, '# keep me\n')
    expect(await setPasswordFileUser(file, 'alice', 'one')).toEqual({ created: true })
    expect(await setPasswordFileUser(file, 'bob', 'two')).toEqual({ created: true })
    expect(await setPasswordFileUser(file, 'alice', 'three')).toEqual({ created: false })
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('# keep me\nalice:$7$101$')).toBe(true)
    const { users } = parsePasswordFile(text)
    expect(await verifyPassword(users.get('alice')!, Buffer.from('three'))).toBe(true)
    await deletePasswordFileUser(file, 'alice')
    expect(passwordFileUsers(readFileSync(file, 'utf8'))).toEqual(['bob'])
    await expect(deletePasswordFileUser(file, 'alice')).rejects.toBeInstanceOf(AuthFileError)
    await expect(setPasswordFileUser(file, 'x:y', 'p')).rejects.toThrow(/":"/)
    await expect(setPasswordFileUser(file, 'x', '')).rejects.toThrow(/empty/)
    // A missing file is created.
    const fresh = join(temp(), 'new-passwd')
    await setPasswordFileUser(fresh, 'eve', 'pw')
    expect(passwordFileUsers(readFileSync(fresh, 'utf8'))).toEqual(['eve'])
  })
})

describe('ACL file writer', () => {
  it('writes a valid ACL as given and refuses one with errors, naming the line', async () => {
    const file = join(temp(), 'acl')
    const acl = '# sensors\ntopic read /status\n\nuser alice\ntopic write /ul/+/attrs\npattern readwrite /%u/#'
    expect(await writeAclFile(file, acl)).toEqual({ lines: 3, remarks: [] })
    expect(readFileSync(file, 'utf8')).toBe(`${acl}\n`)
    expect(parseAclFile(readFileSync(file, 'utf8')).problems).toEqual([])
    const err = await writeAclFile(file, 'topic read /a\ntopic sometimes /b\n').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthFileError)
    expect((err as AuthFileError).problems).toEqual(['line 2: invalid access "sometimes" (read, write, readwrite or deny)'])
    // The file in force is untouched.
    expect(readFileSync(file, 'utf8')).toBe(`${acl}\n`)
  })
})

const programs = requirePrograms({ mosquitto: MOSQUITTO, mosquitto_pub: MOSQUITTO_PUB, mosquitto_passwd: MOSQUITTO_PASSWD })

describe.skipIf(programs.skip)('written files in Mosquitto itself', () => {
  it('Mosquitto accepts the written password file: right password connects, wrong one is refused', async () => {
    const dir = temp()
    const file = join(dir, 'passwd')
    await setPasswordFileUser(file, 'alice', 'wonder land')
    await setPasswordFileUser(file, 'bob', 'builder')
    // mosquitto_passwd's own line added to our file is read by our parser.
    expect(spawnSync(MOSQUITTO_PASSWD!, ['-b', file, 'carol', 'c4rol'], { timeout: 10_000 }).status).toBe(0)
    const { users } = parsePasswordFile(readFileSync(file, 'utf8'))
    expect(await verifyPassword(users.get('carol')!, Buffer.from('c4rol'))).toBe(true)
    if (process.getuid?.() === 0) {
      chmodSync(dir, 0o755)
      chmodSync(file, 0o644)
    }
    const broker = await startMosquitto({ extra: [`password_file ${file}`] })
    try {
      const pub = (user: string, password: string): Promise<number | null> =>
        runClient(MOSQUITTO_PUB!, ['-h', '127.0.0.1', '-p', String(broker.port), '-u', user, '-P', password, '-t', 't', '-m', 'm']).result.then((r) => r.code)
      expect(await pub('alice', 'wonder land')).toBe(0)
      expect(await pub('bob', 'builder')).toBe(0)
      expect(await pub('alice', 'wonderland')).not.toBe(0)
    } finally {
      await broker.stop()
    }
  })
})
