import { describe, expect, it } from 'vitest'
import { parsePasswordFile, parsePasswordHash, verifyPassword } from '../../../electron/engine/broker/auth/password-file'

// Lines written by Mosquitto 2.0.11's mosquitto_passwd (-H sha512-pbkdf2 and -H sha512).
const ALICE = 'alice:$7$101$vx0XIvpX+MyLEh5E$xmq9N0BqipAyWsOyafc6V8/j9EKASL8w4ucgVWvyjqe7kex6PEgKLo2CXrh6vAVsTl2hxuh8ZpdMf4R3OSkYbg=='
const BOB = 'bob:$6$cvHpYZexZ1nxr+Tp$klL1plVsA8/k39PNy2YcI/cw53eh1hNbEK3xTCpm1bjAGOKf5Jb2csGOWghSdaeFmvPLnChIAuLtGHJIO4YinQ=='

describe('Mosquitto password file', () => {
  it('reads $7$ (PBKDF2-SHA512) and $6$ (SHA-512) lines and checks their passwords', async () => {
    const { users, problems } = parsePasswordFile(`# users\n${ALICE}\r\n\n${BOB}\n`)
    expect(problems).toEqual([])
    expect([...users.keys()]).toEqual(['alice', 'bob'])
    const alice = users.get('alice')!
    const bob = users.get('bob')!
    expect(alice).toMatchObject({ kind: 'sha512-pbkdf2', iterations: 101 })
    expect(bob.kind).toBe('sha512')
    expect(await verifyPassword(alice, Buffer.from('secret'))).toBe(true)
    expect(await verifyPassword(alice, Buffer.from('Secret'))).toBe(false)
    expect(await verifyPassword(alice, Buffer.from(''))).toBe(false)
    expect(await verifyPassword(bob, Buffer.from('hunter2'))).toBe(true)
    expect(await verifyPassword(bob, Buffer.from('hunter3'))).toBe(false)
  })

  it('trims blanks around the user name and the hash, and skips comments and lines without a colon', () => {
    const { users, problems } = parsePasswordFile(`  alice  :  ${ALICE.slice(6)}  \n#bob:x\njust text\n`)
    expect(problems).toEqual([])
    expect([...users.keys()]).toEqual(['alice'])
  })

  it('leaves out lines whose hash cannot be used and says why, keeping the others', () => {
    const { users, problems } = parsePasswordFile(
      [ALICE, 'plain:secret', 'empty:', 'type:$5$abc$def', 'salt:$6$c2hvcnQ=$' + 'A'.repeat(88), 'iter:$7$0$vx0XIvpX+MyLEh5E$x'].join('\n')
    )
    expect([...users.keys()]).toEqual(['alice'])
    expect(problems).toHaveLength(5)
    expect(problems.join('\n')).toMatch(/line 2: user "plain"/)
    expect(problems.join('\n')).toMatch(/line 3: no password hash for user "empty"/)
    expect(problems.join('\n')).toMatch(/unknown hash type \$5\$/)
    expect(problems.join('\n')).toMatch(/line 5: .*salt/)
    expect(problems.join('\n')).toMatch(/line 6: .*iterations/)
    // A problem names the line and the user, never the hash.
    expect(problems.join('\n')).not.toContain('vx0XIvpX')
  })

  it('refuses hashes of the wrong length', () => {
    expect(parsePasswordHash('$6$cvHpYZexZ1nxr+Tp$AAAA')).toMatch(/hash cannot be decoded/)
    expect(parsePasswordHash('$6$cvHpYZexZ1nxr+Tp')).toMatch(/not a mosquitto_passwd hash/)
  })
})
