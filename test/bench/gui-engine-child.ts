/**
 * The engine and GUI server of `npm run bench:gui`, in their own Node process so that the engine's
 * event loop (which runs the simulated fleet, the broker, the agent and the GUI's WebSocket) is not
 * shared with the benchmark driver and its Playwright connection.
 *
 * Prints one JSON line with the addresses, then serves commands, one JSON line each on stdin
 * (`{id, op, args?}`), answering `{id, ok, result?, error?}`. Stops on "stop", stdin's end or SIGTERM.
 */
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import type { FleetOptions } from '../../electron/engine/simulator/fleet'
import { startGuiServer } from '../helpers/gui-server'

/** What the driver reads before and after each phase: cumulative counters, differenced there. */
export interface BenchEngineStatus {
  /** performance.now() of this process, for rates. */
  at: number
  /** Measure groups the agent turned into entity updates (southbound counter). */
  measures: number
  /** Devices in the registry (the fleet's devices appear by autoprovisioning). */
  devices: number
  fleets: Array<{ id: string; running: boolean; measuresSent: number; measuresLate: number }>
  /** The GUI's WebSocket clients: event batches skipped for a slow page, bytes waiting to be sent. */
  gui: { clients: number; droppedBatches: number; bufferedBytes: number }
  /** Cumulative event-loop time (ms) and CPU time (µs) of this process. */
  elu: { idle: number; active: number }
  cpu: { user: number; system: number }
  rssBytes: number
}

export type BenchCommand =
  | { id: number; op: 'stop' }
  | { id: number; op: 'status' }
  | { id: number; op: 'startFleet'; args: FleetOptions }
  | { id: number; op: 'stopFleets' }

// Warnings only: the harness keeps every log entry in memory, and DEBUG at 10,000 msg/s would grow it.
const gui = await startGuiServer((c) => {
  c.logLevel = 'WARN'
})
const e = gui.engine
const engine = e.engine
process.stdout.write(JSON.stringify({ ready: true, url: gui.url, northUrl: e.northUrl, dataDir: e.dataDir }) + '\n')

function status(): BenchEngineStatus {
  const clients = gui.server.transport.clientStats()
  const elu = performance.eventLoopUtilization()
  return {
    at: performance.now(),
    measures: engine.southbound.stats().measures,
    devices: engine.registry.counts().devices,
    fleets: engine.simulator.fleetList().map((f) => ({ id: f.id, running: f.running, measuresSent: f.measuresSent, measuresLate: f.measuresLate })),
    gui: {
      clients: clients.length,
      droppedBatches: clients.reduce((n, c) => n + c.droppedTotal, 0),
      bufferedBytes: clients.reduce((n, c) => n + c.bufferedAmount, 0)
    },
    elu: { idle: elu.idle, active: elu.active },
    cpu: process.cpuUsage(),
    rssBytes: process.memoryUsage().rss
  }
}

async function stopFleets(): Promise<void> {
  for (const f of engine.simulator.fleetList()) await engine.simulator.stopFleet(f.id)
}

let stopping: Promise<void> | null = null
function stop(): Promise<void> {
  stopping ??= stopFleets()
    .catch(() => {})
    .then(() => gui.stop())
    .then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`stopping the engine failed: ${err.message}\n`)
        process.exit(1)
      }
    )
  return stopping
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())

const rl = createInterface({ input: process.stdin })
rl.on('close', () => void stop())
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as BenchCommand
  const reply = (ok: boolean, result?: unknown, error?: string): void => void process.stdout.write(JSON.stringify({ id: cmd.id, ok, result, error }) + '\n')
  const run = async (): Promise<unknown> => {
    switch (cmd.op) {
      case 'stop':
        return stop()
      case 'status':
        return status()
      case 'startFleet':
        return (await engine.simulator.startFleet(cmd.args)).id
      case 'stopFleets':
        return stopFleets()
    }
  }
  run().then(
    (result) => reply(true, result),
    (err: Error) => reply(false, undefined, err.message)
  )
})
