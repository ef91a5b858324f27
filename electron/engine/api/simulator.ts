import type { EngineApi, EventPayloads, FleetDto, SimulatedDeviceDto } from '../../../shared/contract'
import type { FleetState } from '../simulator/fleet'
import type { SeedDeviceState } from '../simulator/seed-device'
import type { Simulator } from '../simulator/simulator'
import { Throttle, type EventHub } from './events'

/** The simulator stream sends at most one state a second (fleet counters change continuously). */
const SIMULATOR_MS = 1000

const deviceDto = (d: SeedDeviceState): SimulatedDeviceDto => ({
  apikey: d.apikey,
  deviceId: d.deviceId,
  intervalSec: d.intervalSec,
  switchedOn: d.switchedOn,
  running: d.running,
  measuresSent: d.measuresSent,
  commandsReceived: d.commandsReceived
})

const fleetDto = (f: FleetState): FleetDto => ({
  id: f.id,
  apikey: f.apikey,
  idPrefix: f.idPrefix,
  count: f.count,
  intervalSec: f.intervalSec,
  measures: f.measures,
  replyLatencyMs: f.replyLatencyMs,
  lossPercent: f.lossPercent,
  running: f.running,
  measuresSent: f.measuresSent,
  measuresDropped: f.measuresDropped,
  commandsReceived: f.commandsReceived
})

type SimulatorPart = Pick<Simulator, 'list' | 'fleetList' | 'onChange' | 'startSeedDevice' | 'stopDevice' | 'startFleet' | 'stopFleet'>

function simulatorState(sim: SimulatorPart): EventPayloads['simulator'] {
  return { devices: sim.list().map(deviceDto), fleets: sim.fleetList().map(fleetDto) }
}

/**
 * Simulated devices (the seed tutorial's device) and fleets, and the `simulator` stream: the whole
 * state after a change, at most once a second.
 */
export function simulatorArea(
  sim: SimulatorPart,
  hub: EventHub
): Pick<EngineApi, 'simulator.startSeed' | 'simulator.stop' | 'simulator.list' | 'simulator.startFleet' | 'simulator.stopFleet'> {
  hub.whileListened(['simulator'], () => {
    const throttle = new Throttle(() => hub.emit('simulator', simulatorState(sim)), SIMULATOR_MS)
    const off = sim.onChange(() => throttle.request())
    return () => {
      off()
      throttle.cancel()
    }
  })

  return {
    'simulator.startSeed': async (args) => deviceDto(await sim.startSeedDevice(args)),
    'simulator.stop': async ({ apikey, deviceId }) => ({ stopped: await sim.stopDevice(apikey, deviceId) }),
    'simulator.list': async () => sim.list().map(deviceDto),
    'simulator.startFleet': async (args) => fleetDto(await sim.startFleet(args)),
    'simulator.stopFleet': async ({ id }) => ({ stopped: await sim.stopFleet(id) })
  }
}
