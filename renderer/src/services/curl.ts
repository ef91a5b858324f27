/** Equivalent shell commands of the requests the GUI makes, for trainees to compare with Postman. */

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: unknown
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

export function curlCommand(call: HttpCall): string {
  const lines = [`curl -iX ${call.method} ${shellQuote(call.url)}`]
  for (const [k, v] of Object.entries(call.headers)) lines.push(`  -H ${shellQuote(`${k}: ${v}`)}`)
  if (call.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`)
    lines.push(`  -d ${shellQuote(JSON.stringify(call.body, null, 2))}`)
  }
  return lines.join(' \\\n')
}

export function tenantHeaders(scope: { service: string; servicePath: string }): Record<string, string> {
  return { 'fiware-service': scope.service, 'fiware-servicepath': scope.servicePath }
}

export function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString()
}
