import type { CommandEventDto, EngineApi, LogEntryDto } from '../../../shared/contract'
import type { CommandCenter, CommandEvent } from '../agent/commands'
import type { LogEntry, Logger } from '../log/logger'
import type { ContextAccess } from './context-access'
import { Batcher, type EventHub } from './events'

function commandDto(e: CommandEvent): CommandEventDto {
  return {
    service: e.scope.service,
    servicePath: e.scope.servicePath,
    entityId: e.entityId,
    entityType: e.entityType,
    deviceId: e.deviceId,
    command: e.command,
    status: e.status,
    info: e.info,
    rttMs: e.rttMs,
    time: e.time,
    ...(e.traceId === undefined ? {} : { traceId: e.traceId })
  }
}

const logDto = (e: LogEntry): LogEntryDto => ({ time: e.time, level: e.level, source: e.source, code: e.code, message: e.message })

/**
 * Commands and logs: `commands.send` (an update of the command attribute through the context
 * broker, exactly as a client of Orion sends it, so the GUI shows what really happens),
 * `logs.recent`, and the `commands` and `logs` streams.
 */
export interface ActivitySources {
  /** Each agent's command center (UltraLight, JSON): the stream carries the commands of both. */
  readonly commands: ReadonlyArray<Pick<CommandCenter, 'onEvent'>>
  readonly logger: Pick<Logger, 'onEntry' | 'recent'>
}

export function activityArea(src: ActivitySources, context: ContextAccess, hub: EventHub): Pick<EngineApi, 'commands.send' | 'logs.recent'> {
  hub.whileListened(['commands'], () => {
    const batch = new Batcher<CommandEventDto>((items) => hub.emit('commands', items))
    const offs = src.commands.map((c) => c.onEvent((e) => batch.push(commandDto(e))))
    return () => {
      for (const off of offs) off()
      batch.close()
    }
  })
  hub.whileListened(['logs'], () => {
    const batch = new Batcher<LogEntryDto>((items) => hub.emit('logs', items))
    const off = src.logger.onEntry((e) => batch.push(logDto(e)))
    return () => {
      off()
      batch.close()
    }
  })

  return {
    'commands.send': ({ scope, entityId, entityType, command, value }) => context.sendCommand(scope, entityId, entityType, command, value),
    'logs.recent': async () => src.logger.recent().map(logDto)
  }
}
