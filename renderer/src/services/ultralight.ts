/**
 * UltraLight 2.0 as the inspector displays it: measures `k|v|k|v` (several groups separated by
 * `#`, an optional leading timestamp), commands `device@cmd|value`, command results on `cmdexe`
 * `device@cmd|result` (docs/compatibility/iot-agent-ul.md §2.3: the result is the second field,
 * further fields are ignored), configuration requests and the agent's configuration values (§2.4). For display only: what the agent did with a message comes from the
 * engine (the message's `agent` field).
 */

/** A payload as the inspector shows it, whichever agent's format it is in (json-payload.ts decodes the JSON agent's). */
export type DecodedPayload =
  | { kind: 'measures'; groups: Array<{ timestamp?: string; pairs: Array<[string, string]> }> }
  | { kind: 'command'; device: string; command: string; value: string }
  /** A device's answer to a command (`…/cmdexe`); `result` is undefined when the payload has no second field. */
  | { kind: 'commandResult'; device: string; command: string; result: string | undefined }
  /** The agent's answer to a configuration request (`…/configuration/values`, §2.4): `device@configuration|a=v|…|dt=…`. */
  | { kind: 'configurationValues'; device: string; values: Array<[string, string]>; stamp?: string }
  /** A device's configuration request (`…/configuration/commands`, §2.4): `configuration|a|b` or `subscription|a|b`. */
  | { kind: 'configurationRequest'; type: string; attributes: string[] }
  | { kind: 'none' }

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/

export function decodeUl(payload: string, topic: string): DecodedPayload {
  const text = payload.replace(/\r?\n$|\r$/, '')
  if (!text) return { kind: 'none' }
  if (/\/cmdexe$/.test(topic)) return decodeCommandResult(text)
  if (/\/configuration\/values$/.test(topic)) return decodeConfigurationValues(text)
  if (/\/configuration\/commands$/.test(topic)) {
    const [type, ...attributes] = text.split('|')
    return { kind: 'configurationRequest', type: type ?? '', attributes }
  }
  const at = text.indexOf('@')
  if (at > 0 && (/\/cmd$/.test(topic) || !text.slice(0, at).includes('|'))) {
    const rest = text.slice(at + 1)
    const bar = rest.indexOf('|')
    return { kind: 'command', device: text.slice(0, at), command: bar < 0 ? rest : rest.slice(0, bar), value: bar < 0 ? '' : rest.slice(bar + 1) }
  }
  if (/^[[{"]/.test(text.trim())) return { kind: 'none' }
  const groups = text.split('#').map((g) => {
    const parts = g.split('|')
    let timestamp: string | undefined
    if (parts.length % 2 === 1 && TIMESTAMP.test(parts[0] ?? '')) timestamp = parts.shift()
    const pairs: Array<[string, string]> = []
    for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i]!, parts[i + 1]!])
    return { timestamp, pairs }
  })
  if (!groups.some((g) => g.pairs.length)) return { kind: 'none' }
  return { kind: 'measures', groups }
}

/** `device@configuration|a=v|…|dt=stamp`: each field after the first is one `name=value` (the value may hold `=`). */
function decodeConfigurationValues(text: string): DecodedPayload {
  const [head, ...fields] = text.split('|')
  const at = head!.indexOf('@')
  if (at < 0) return { kind: 'none' }
  const values: Array<[string, string]> = []
  let stamp: string | undefined
  for (const f of fields) {
    const eq = f.indexOf('=')
    const name = eq < 0 ? f : f.slice(0, eq)
    const value = eq < 0 ? '' : f.slice(eq + 1)
    if (name === 'dt') stamp = value
    else values.push([name, value])
  }
  return stamp === undefined ? { kind: 'configurationValues', device: head!.slice(0, at), values } : { kind: 'configurationValues', device: head!.slice(0, at), values, stamp }
}

/** `device@command|result`: the first field must hold an `@`; a payload without one is not a result. */
function decodeCommandResult(text: string): DecodedPayload {
  const fields = text.split('|')
  const head = fields[0]!
  const at = head.indexOf('@')
  if (at < 0) return { kind: 'none' }
  return { kind: 'commandResult', device: head.slice(0, at), command: head.slice(at + 1), result: fields[1] }
}
