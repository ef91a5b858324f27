import { describe, expect, it } from 'vitest'
import { aclAllows, parseAclFile, READ, WRITE } from '../../../electron/engine/broker/auth/acl-file'

function rules(text: string): ReturnType<typeof parseAclFile>['rules'] {
  const parsed = parseAclFile(text)
  expect(parsed.problems).toEqual([])
  return parsed.rules
}

describe('Mosquitto ACL file', () => {
  it('gives topic lines before any user line to clients without a user name, and the others to their user', () => {
    const r = rules(['# comment', 'topic read public/#', '', 'user alice', 'topic write /k/alice/attrs', 'topic read /k/alice/cmd', 'user bob', 'topic /k/bob/#'].join('\n'))
    expect(r.lines).toBe(4)
    const anon = { clientId: 'c1' }
    const alice = { clientId: 'c2', username: 'alice' }
    const bob = { clientId: 'c3', username: 'bob' }
    expect(aclAllows(r, anon, 'public/x', READ)).toBe(true)
    expect(aclAllows(r, anon, 'public/x', WRITE)).toBe(false)
    expect(aclAllows(r, alice, 'public/x', READ)).toBe(false)
    expect(aclAllows(r, alice, '/k/alice/attrs', WRITE)).toBe(true)
    expect(aclAllows(r, alice, '/k/alice/attrs', READ)).toBe(false)
    expect(aclAllows(r, alice, '/k/bob/attrs', WRITE)).toBe(false)
    expect(aclAllows(r, alice, '/k/alice/cmd', READ)).toBe(true)
    // No access word: readwrite.
    expect(aclAllows(r, bob, '/k/bob/attrs', WRITE)).toBe(true)
    expect(aclAllows(r, bob, '/k/bob/cmd', READ)).toBe(true)
    // A user without a section and no patterns: nothing.
    expect(aclAllows(r, { clientId: 'c4', username: 'carol' }, 'public/x', READ)).toBe(false)
  })

  it('checks deny lines first, whatever their place', () => {
    const r = rules(['user alice', 'topic readwrite a/#', 'topic deny a/secret'].join('\n'))
    const alice = { clientId: 'c', username: 'alice' }
    expect(aclAllows(r, alice, 'a/open', WRITE)).toBe(true)
    expect(aclAllows(r, alice, 'a/secret', WRITE)).toBe(false)
    expect(aclAllows(r, alice, 'a/secret', READ)).toBe(false)
  })

  it('substitutes %c and %u in patterns; %u patterns do not apply to clients without a user name', () => {
    const r = rules(['pattern write /k/%u/attrs', 'pattern read /k/%c/cmd'].join('\n'))
    expect(aclAllows(r, { clientId: 'dev1', username: 'alice' }, '/k/alice/attrs', WRITE)).toBe(true)
    expect(aclAllows(r, { clientId: 'dev1', username: 'alice' }, '/k/bob/attrs', WRITE)).toBe(false)
    expect(aclAllows(r, { clientId: 'dev1', username: 'alice' }, '/k/dev1/cmd', READ)).toBe(true)
    expect(aclAllows(r, { clientId: 'dev1' }, '/k/dev1/cmd', READ)).toBe(true)
    expect(aclAllows(r, { clientId: 'dev1' }, '/k/%u/attrs', WRITE)).toBe(false)
    // A wildcard in the user name or client id would reach other clients' topics: denied.
    expect(aclAllows(r, { clientId: 'dev1', username: '+' }, '/k/alice/attrs', WRITE)).toBe(false)
    expect(aclAllows(r, { clientId: '#' }, '/k/#/cmd', READ)).toBe(false)
  })

  it('does not let a line without $ match a $ topic', () => {
    const r = rules('topic read #\ntopic read $SYS/broker/#')
    expect(aclAllows(r, { clientId: 'c' }, 'a/b', READ)).toBe(true)
    expect(aclAllows(r, { clientId: 'c' }, '$SYS/broker/uptime', READ)).toBe(true)
    expect(aclAllows(r, { clientId: 'c' }, '$SYS/other', READ)).toBe(false)
  })

  it('reports invalid lines with their number (Mosquitto refuses such a file)', () => {
    const { problems, remarks } = parseAclFile(['topic', 'topic sometimes a/b', 'topic read a/#/b', 'user', 'allow all', 'pattern read fixed/topic'].join('\n'))
    expect(problems).toEqual([
      'line 1: topic without a topic',
      'line 2: invalid access "sometimes" (read, write, readwrite or deny)',
      expect.stringMatching(/^line 3: invalid topic/),
      'line 4: user without a name',
      'line 5: not understood: allow all'
    ])
    expect(remarks).toEqual(['line 6: pattern "fixed/topic" contains neither %c nor %u'])
  })
})
