import { mkdirSync } from 'node:fs'
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
})
