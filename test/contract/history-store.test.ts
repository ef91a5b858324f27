import { join } from 'node:path'
import { JournaledHistoryStore } from '../../electron/engine/history/journaled-store'
import { historyStoreContract } from './history-store.contract'

/** The engine's history store: memory and a point log in the data folder, group commits as the engine's (commit delay 0). */
historyStoreContract('JournaledHistoryStore', {
  open: async (dir, limits, now) => {
    const { store } = await JournaledHistoryStore.open({ filename: join(dir, 'history', 'points.log'), limits, flushIntervalMs: 1000, commitDelayMs: 0, now })
    return store
  }
})
