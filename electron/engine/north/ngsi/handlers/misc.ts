import { arch } from 'node:os'
import { ORION_VERSION } from '../../../context/embedded/forwarding/provider-client'
import { notImplemented } from '../../../context/embedded/errors'
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../../version'
import { json, type NgsiReply } from '../reply'
import type { Call, Handler } from '../router'
import { option } from './common'

/** `GET /version`, `GET /v2`, and the answer of the routes this broker does not serve. */

function uptime(ms: number): string {
  let s = Math.floor(ms / 1000)
  const d = Math.floor(s / 86400)
  s -= d * 86400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  return `${d} d, ${h} h, ${m} m, ${s} s`
}

const MACHINES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i686' }
const startedAt = new Date().toString()

/**
 * Orion's hand-written (pretty) version document (versionTreat.cpp), reporting compatibility
 * with Orion 4.1.0 — the version the NGSI-v2 tutorials pin — and naming this product in
 * `compiled_by`. `libversions` only with `?options=libVersions`, as in Orion 4.x.
 */
export function version(call: Call): NgsiReply {
  const lines = [
    '{',
    '"orion" : {',
    `  "version" : "${ORION_VERSION}",`,
    `  "uptime" : "${uptime(Date.now() - call.ctx.startedAt)}",`,
    '  "git_hash" : "nogitversion",',
    `  "compile_time" : "${startedAt}",`,
    `  "compiled_by" : "${PRODUCT_NAME} ${PRODUCT_VERSION}",`,
    `  "compiled_in" : "node ${process.version}",`,
    `  "release_date" : "${startedAt}",`,
    `  "machine" : "${MACHINES[arch()] ?? arch()}",`
  ]
  const doc = `  "doc" : "https://fiware-orion.rtfd.io/en/${ORION_VERSION}/"`
  if (option(call, 'libVersions')) {
    lines.push(doc + ',', '  "libversions" : {', `     "node" : "${process.versions.node}",`, `     "openssl" : "${process.versions.openssl}"`, '  }')
  } else lines.push(doc)
  lines.push('}', '}', '')
  return json(lines.join('\n'))
}

/** `GET /v2`: the API entry points. */
export function entryPoints(): NgsiReply {
  return json(
    JSON.stringify({
      entities_url: '/v2/entities',
      types_url: '/v2/types',
      subscriptions_url: '/v2/subscriptions',
      registrations_url: '/v2/registrations'
    })
  )
}

/** Known Orion routes this broker does not serve (`POST /v2/op/notify`). */
export function notYet(what: string): Handler {
  return () => {
    throw notImplemented(`${what} are not supported yet by this context broker`)
  }
}
