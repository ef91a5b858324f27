/**
 * A process that writes history points and is then killed (test/unit/history/journaled-store.test.ts):
 * `history-writer-child.ts <file> <points>` appends the points in batches of 100, waits for each
 * batch to be durable, prints {"durable": n} and keeps appending points it never confirms until killed.
 */
import { JournaledHistoryStore } from '../../electron/engine/history/journaled-store'

const [file, countText] = process.argv.slice(2)
const count = Number(countText)
const { store } = await JournaledHistoryStore.open({ filename: file!, limits: { retentionDays: 36_500, maxPoints: 1_000_000 }, flushIntervalMs: 1000, commitDelayMs: 0 })
const point = (i: number) => ({ service: 's', servicePath: '/', entityId: 'e', entityType: 'T', attrName: 'a', attrType: 'Number', attrValue: String(i), recvTime: 1_700_000_000_000 + i })
for (let i = 0; i < count; i += 100) {
  store.append(Array.from({ length: Math.min(100, count - i) }, (_, j) => point(i + j)))
  await store.durable()
}
process.stdout.write(`${JSON.stringify({ durable: count })}\n`)
let i = count
setInterval(() => store.append([point(i++)]), 1)
