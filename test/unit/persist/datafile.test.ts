import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DocStore } from '../../../electron/engine/persist/doc-store'
import { JournalStore } from '../../../electron/engine/persist/journal-store'
import { tempDir } from '../../helpers/temp-dir'

describe('NeDB datafiles that cannot be used', () => {
  const dirs: Array<{ path: string; cleanup: () => void }> = []
  const dir = (): string => {
    const d = tempDir()
    dirs.push(d)
    return d.path
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()))

  it('a folder where a document store belongs is an error of open, naming the file (not a crash)', async () => {
    const f = join(dir(), 'devices.db')
    mkdirSync(f)
    await expect(DocStore.open(f)).rejects.toThrow(`cannot open the data file ${f}: it is a folder`)
  })

  it('a folder where a journal belongs is an error of open, and a missing file is created as before', async () => {
    const d = dir()
    mkdirSync(join(d, 'entities.db'))
    await expect(JournalStore.open(join(d, 'entities.db'))).rejects.toThrow('it is a folder')
    const fresh = await JournalStore.open<{ v: number }>(join(d, 'other.db'))
    expect(await fresh.all()).toEqual([])
  })

  it('one unreadable line among many stops the open, naming the file, and leaves the file as it was', async () => {
    for (const open of [(f: string) => DocStore.open<{ n: number }>(f), (f: string) => JournalStore.open<{ n: number }>(f)]) {
      const f = join(dir(), 'devices.db')
      const store = await open(f)
      for (let n = 0; n < 30; n++) await store.putMany([{ id: `d${n}`, value: { n } }])
      await store.close()
      const lines = readFileSync(f, 'utf8').split('\n')
      lines[10] = lines[10]!.slice(0, 12)
      const damaged = lines.join('\n')
      writeFileSync(f, damaged)
      await expect(open(f)).rejects.toThrow(`the data file ${f} is corrupt: 1 of its 30 lines cannot be read`)
      expect(readFileSync(f, 'utf8')).toBe(damaged)
      // The way out the message gives: without the damaged line, the other records are all there.
      writeFileSync(f, lines.filter((_, i) => i !== 10).join('\n'))
      const again = await open(f)
      expect(await again.all()).toHaveLength(29)
      await again.close()
    }
  })

  it('a last line cut short by a crash is set aside in a file of its own, and the rest loads', async () => {
    for (const open of [(f: string) => DocStore.open<{ n: number }>(f), (f: string) => JournalStore.open<{ n: number }>(f)]) {
      const d = dir()
      const f = join(d, 'devices.db')
      const store = await open(f)
      for (let n = 0; n < 5; n++) await store.putMany([{ id: `d${n}`, value: { n } }])
      await store.close()
      const whole = readFileSync(f, 'utf8')
      expect(whole.endsWith('\n')).toBe(true)
      // The append of a sixth record, cut in the middle.
      const torn = '{"_id":"d5","data":"{\\"n\\":'
      writeFileSync(f, whole + torn)
      const again = await open(f)
      expect(again.notice).toMatch(/^the last line of .*devices\.db was cut short \(\d+ bytes, never acknowledged\)/)
      expect(await again.all()).toHaveLength(5)
      await again.close()
      const aside = readdirSync(d).filter((n) => n.startsWith('devices.db.torn-'))
      expect(aside).toHaveLength(1)
      expect(readFileSync(join(d, aside[0]!), 'utf8')).toBe(torn)
      expect(readFileSync(f, 'utf8').startsWith(whole)).toBe(true)
    }
  })

  it('a last record that only lacks its newline is read as it is, and nothing is set aside', async () => {
    const d = dir()
    const f = join(d, 'groups.db')
    const store = await DocStore.open<{ n: number }>(f)
    await store.putMany([{ id: 'g1', value: { n: 1 } }])
    await store.close()
    writeFileSync(f, readFileSync(f, 'utf8').trimEnd())
    const again = await DocStore.open<{ n: number }>(f)
    expect(again.notice).toBeUndefined()
    expect(await again.all()).toEqual([{ id: 'g1', value: { n: 1 } }])
    await again.close()
    expect(readdirSync(d).filter((n) => n.includes('.torn-'))).toEqual([])
  })
})
