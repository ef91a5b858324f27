/**
 * The history phase of the bench (test/bench/run.ts): how fast the history store takes points and
 * answers ranges (docs/compatibility/sth-comet.md §1).
 * - store write: one day of 1-s points for 10 attributes (864,000 points) appended in batches of
 *   1,000, each batch waited for on disk (a group commit), as the Cygnus sink does;
 * - notify write: normalized notifications of 10 attributes POSTed to the Cygnus-compatible sink
 *   by 16 concurrent clients, each answered once its points are on disk;
 * - range query: a random 1-hour window (3,600 points) of one attribute's day, p50/p99 over 1,000
 *   reads, and the STH-Comet aggregation of the whole day by minute;
 * - reopen: loading the day back from the file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createCygnusApp } from '../../electron/engine/history/cygnus-app'
import { JournaledHistoryStore } from '../../electron/engine/history/journaled-store'
import { aggregate } from '../../electron/engine/history/sth-aggregate'
import type { HistoryPoint } from '../../electron/engine/history/store'
import { silentLogger } from '../../electron/engine/log/logger'
import { serveHttp } from '../../electron/engine/north/http-service'
import { percentile } from '../helpers/percentile'

const DAY_S = 86_400
const ATTRS = 10
const BATCH = 1000
const T0 = Date.UTC(2026, 0, 1)
const LIMITS = { retentionDays: 36_500, maxPoints: 2_000_000 }
const round1 = (n: number): number => Math.round(n * 10) / 10
const key = (a: number) => ({ service: 'bench', servicePath: '/', entityId: 'urn:ngsi-ld:Device:001', entityType: 'Device', attrName: `a${a}` })

async function openStore(dir: string): Promise<JournaledHistoryStore> {
  const { store } = await JournaledHistoryStore.open({ filename: join(dir, 'history', 'points.log'), limits: LIMITS, flushIntervalMs: 1000, commitDelayMs: 0 })
  return store
}

async function storeWrite(dir: string): Promise<{ pointsPerSec: number; points: number }> {
  const store = await openStore(dir)
  const total = DAY_S * ATTRS
  const started = performance.now()
  let batch: HistoryPoint[] = []
  for (let s = 0; s < DAY_S; s++) {
    for (let a = 0; a < ATTRS; a++) batch.push({ ...key(a), recvTime: T0 + s * 1000, attrType: 'Number', attrValue: (20 + Math.sin(s / 600) * 5).toFixed(2) })
    if (batch.length >= BATCH) {
      store.append(batch)
      batch = []
      await store.durable()
    }
  }
  store.append(batch)
  await store.durable()
  const secs = (performance.now() - started) / 1000
  await store.close()
  return { pointsPerSec: Math.round(total / secs), points: total }
}

async function notifyWrite(dir: string, notifications: number, clients: number): Promise<number> {
  const store = await openStore(dir)
  const app = createCygnusApp({ store, logger: silentLogger() })
  const svc = await serveHttp(app, ['127.0.0.1'], 0, 'bench cygnus')
  const url = `http://127.0.0.1:${svc.bound[0]!.port}/notify`
  const headers = { 'content-type': 'application/json; charset=utf-8', 'ngsiv2-attrsformat': 'normalized', 'fiware-service': 'bench', 'fiware-servicepath': '/' }
  let next = 0
  const started = performance.now()
  const client = async (): Promise<void> => {
    while (next < notifications) {
      const i = next++
      const entity: Record<string, unknown> = { id: `urn:ngsi-ld:Device:${i % 100}`, type: 'Device' }
      for (let a = 0; a < ATTRS; a++) entity[`a${a}`] = { type: 'Number', value: i + a, metadata: {} }
      const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ subscriptionId: 'bench', data: [entity] }) })
      if (r.status !== 200) throw new Error(`the sink answered ${r.status}`)
      await r.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: clients }, client))
  const secs = (performance.now() - started) / 1000
  await svc.close()
  await store.close()
  return Math.round((notifications * ATTRS) / secs)
}

async function reads(dir: string): Promise<{ reopenMs: number; p50Ms: number; p99Ms: number; dayAggregateMs: number }> {
  const t = performance.now()
  const store = await openStore(dir)
  const reopenMs = Math.round(performance.now() - t)
  const times: number[] = []
  for (let i = 0; i < 1000; i++) {
    const from = T0 + Math.floor(Math.random() * (DAY_S - 3600)) * 1000
    const q = performance.now()
    const got = store.read(key(i % ATTRS), { from, to: from + 3_599_000 })
    times.push(performance.now() - q)
    if (got.length !== 3600) throw new Error(`a 1-hour range gave ${got.length} points`)
  }
  times.sort((a, b) => a - b)
  const a = performance.now()
  const groups = aggregate(store, key(0), ['max', 'min', 'sum', 'sum2'], 'minute')
  const dayAggregateMs = round1(performance.now() - a)
  if (groups.length !== 24) throw new Error(`a day by minute gave ${groups.length} origins`)
  await store.close()
  return { reopenMs, p50Ms: Math.round(percentile(times, 50) * 1000) / 1000, p99Ms: Math.round(percentile(times, 99) * 1000) / 1000, dayAggregateMs }
}

export async function historyPhase(out: Record<string, unknown>, rows: string[][]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ulcc-bench-history-'))
  const notifyDir = mkdtempSync(join(tmpdir(), 'ulcc-bench-history-notify-'))
  try {
    const write = await storeWrite(dir)
    const q = await reads(dir)
    const notifyPointsPerSec = await notifyWrite(notifyDir, 20_000, 16)
    out.history = { storePointsPerSec: write.pointsPerSec, points: write.points, notifyPointsPerSec, rangeQuery1hP50Ms: q.p50Ms, rangeQuery1hP99Ms: q.p99Ms, dayAggregateMs: q.dayAggregateMs, reopenDayMs: q.reopenMs }
    rows.push([`history store write (${write.points} points, batches of ${BATCH})`, `${write.pointsPerSec} points/s`, '', '', ''])
    rows.push([`history via POST /notify (16 clients, ${ATTRS} attrs)`, `${notifyPointsPerSec} points/s`, '', '', ''])
    rows.push(['history 1-hour range of a 1-s day (1,000 reads)', `p50 ${q.p50Ms} ms p99 ${q.p99Ms} ms`, '', `day by minute ${q.dayAggregateMs} ms`, `reopen ${q.reopenMs} ms`])
  } finally {
    rmSync(dir, { recursive: true, force: true })
    rmSync(notifyDir, { recursive: true, force: true })
  }
}
