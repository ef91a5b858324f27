import type { InspectorMessageDto } from '../../../shared/contract'

/** An inspector message as the engine sends it: a device's empty QoS 0 message on `t`, unless `over` says otherwise. */
export function inspectorMessage(over: Partial<InspectorMessageDto> = {}): InspectorMessageDto {
  return { seq: 1, time: 0, topic: 't', payload: '', size: 0, truncated: false, qos: 0, retain: false, origin: 'client', agent: null, ...over }
}
