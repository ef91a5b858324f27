import { spawn } from 'node:child_process'
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEngine, type RunningEngine } from '../helpers/engine-harness'
import { siteFixture, startGuiServer, upgradeStatus, type RunningGui } from '../helpers/gui-server'
import { tempDir } from '../helpers/temp-dir'
import { EPHEMERAL_PORT_FLAGS } from '../helpers/ports'

/**
 * The HTTP guards of every port (docs/compatibility/ngsi-v2.md §1.1, iot-agent-ul.md §1.1): the Host
 * allowlist against DNS rebinding, CORS on request as Orion's -corsOrigin, and the 1 MiB body limit.
 */

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/** A request through node:http, which (unlike fetch) sends the Host header it is given. */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...opts.headers, ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}) }
    const req = request(url, { method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** An HTTP/1.0 request without Host header, written on a raw socket; resolves with the status line. */
function http10(url: string, path: string): Promise<string> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`))
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => (data += c))
    socket.on('end', () => resolve(data.split('\r\n')[0]!))
    socket.on('error', reject)
  })
}

const EVIL = 'evil.example.com'
const MIB = 1024 * 1024

/** A JSON text of exactly `size` bytes: `prefix` + padding + `suffix`. */
function exactly(size: number, prefix: string, suffix: string): string {
  const body = prefix + 'x'.repeat(size - Buffer.byteLength(prefix) - Buffer.byteLength(suffix)) + suffix
  expect(Buffer.byteLength(body)).toBe(size)
  return body
}

describe('Host allowlist (DNS rebinding)', () => {
  let e: RunningEngine

  beforeAll(async () => {
    e = await startEngine((c) => {
      c.allowedHosts = ['ulcc.test']
    })
  })
  afterAll(async () => {
    await e?.dispose()
  })

  it('refuses a foreign Host on the NGSI port with an Orion error, before doing anything', async () => {
    const port = new URL(e.ngsiUrl).port
    const r = await send(`${e.ngsiUrl}/v2/entities`, {
      method: 'POST',
      headers: { Host: `${EVIL}:${port}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'Rebound', type: 'T' })
    })
    expect(r.status).toBe(400)
    expect(r.headers['content-type']).toBe('application/json')
    expect(JSON.parse(r.text)).toEqual({ error: 'BadRequest', description: `Host not allowed: ${EVIL}. Use localhost, a listening address or a name given with --allowed-host` })
    expect((await send(`${e.ngsiUrl}/v2/entities/Rebound`)).status).toBe(404)
    expect((await send(`${e.ngsiUrl}/version`, { headers: { Host: EVIL } })).status).toBe(400)
  })

  it('refuses a foreign Host on the north API with the agent error', async () => {
    const r = await send(`${e.northUrl}/iot/about`, { headers: { Host: `${EVIL}:4042` } })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text)).toEqual({ name: 'BAD_REQUEST', message: `Host not allowed: ${EVIL}. Use localhost, a listening address or a name given with --allowed-host` })
  })

  it('accepts loopback names and addresses, any case and port, and an --allowed-host name', async () => {
    const port = new URL(e.ngsiUrl).port
    for (const host of [`localhost:${port}`, 'LOCALHOST', 'app.localhost', `127.0.0.1:${port}`, '127.1.2.3', `[::1]:${port}`, 'ulcc.test', 'ULCC.test:80', 'localhost.']) {
      expect((await send(`${e.ngsiUrl}/version`, { headers: { Host: host } })).status, host).toBe(200)
      expect((await send(`${e.northUrl}/iot/about`, { headers: { Host: host } })).status, host).toBe(200)
    }
  })

  it('refuses names that only look like allowed ones', async () => {
    for (const host of ['localhost.evil.example.com', 'ulcc.test.evil.example.com', '127.0.0.1.nip.io', 'evil@localhost', ' ']) {
      expect((await send(`${e.ngsiUrl}/version`, { headers: { Host: host } })).status, host).toBe(400)
    }
  })

  it('accepts a request without Host (HTTP/1.0): browsers always send one', async () => {
    expect(await http10(e.ngsiUrl, '/version')).toMatch(/^HTTP\/1\.1 200/)
    expect(await http10(e.northUrl, '/iot/about')).toMatch(/^HTTP\/1\.1 200/)
  })

  it('logs each refused name once', async () => {
    const name = 'once.example.org'
    for (let i = 0; i < 3; i++) expect((await send(`${e.ngsiUrl}/version`, { headers: { Host: name } })).status).toBe(400)
    expect((await send(`${e.northUrl}/iot/about`, { headers: { Host: name } })).status).toBe(400)
    const lines = e.logs.filter((l) => l.code === 'HOST_REFUSED' && l.message.includes(`"${name}"`))
    expect(lines).toHaveLength(1)
    expect(lines[0]!.level).toBe('WARN')
  })

  it('refuses a foreign Host on the MQTT WebSocket port, HTTP and upgrade, and lets MQTT clients in', async () => {
    expect(await upgradeStatus(e.mqttWsUrl, { Host: EVIL })).toBe(403)
    expect((await send(e.mqttWsUrl.replace(/^ws/, 'http'), { headers: { Host: EVIL } })).status).toBe(403)
    expect((await send(e.mqttWsUrl.replace(/^ws/, 'http'))).status).toBe(426)
    expect(await upgradeStatus(e.mqttWsUrl, { Host: 'ulcc.test' })).toBe(101)
    const client = await mqtt.connectAsync(e.mqttWsUrl, { reconnectPeriod: 0 })
    expect(client.connected).toBe(true)
    await client.endAsync()
  })
})

describe('Host allowlist with a wildcard address', () => {
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address
  let e: RunningEngine | undefined

  afterAll(async () => {
    await e?.dispose()
  })

  // Needs a network interface besides loopback (the classroom case).
  it.skipIf(lan === undefined)("accepts this computer's network address as Host when 0.0.0.0 is listened on", async () => {
    e = await startEngine((c) => {
      c.hosts = ['0.0.0.0']
    })
    const port = new URL(e.ngsiUrl).port
    const r = await send(`http://${lan}:${port}/version`)
    expect(r.status).toBe(200)
    expect((await send(`http://${lan}:${port}/version`, { headers: { Host: EVIL } })).status).toBe(400)
  })
})

describe('GUI server Host check', () => {
  let site: ReturnType<typeof siteFixture>
  let gui: RunningGui

  beforeAll(async () => {
    site = siteFixture()
    gui = await startGuiServer((c) => {
      c.allowedHosts = ['ulcc.test']
    }, { root: site.root })
  })
  afterAll(async () => {
    await gui?.stop()
    site?.cleanup()
  })

  it('refuses pages and the WebSocket for a foreign Host, with a plain 403', async () => {
    const page = await send(gui.url, { headers: { Host: EVIL } })
    expect(page.status).toBe(403)
    expect(page.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(page.text).toContain('Host name')
    expect(await upgradeStatus(gui.wsUrl, { Host: EVIL })).toBe(403)
    const lines = gui.engine.logs.filter((l) => l.code === 'HOST_REFUSED' && l.message.includes(EVIL))
    expect(lines).toHaveLength(1)
  })

  it('serves localhost, loopback addresses and an --allowed-host name', async () => {
    const port = new URL(gui.url).port
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `ulcc.test:${port}`]) {
      expect((await send(gui.url, { headers: { Host: host } })).status, host).toBe(200)
    }
    expect(await upgradeStatus(gui.wsUrl, { Host: `ulcc.test:${port}` })).toBe(101)
  })
})

describe('CORS (Orion -corsOrigin)', () => {
  const ORIGIN = 'http://localhost:3000'

  it('is off by default: no Access-Control headers, OPTIONS is a 405', async () => {
    const e = await startEngine()
    try {
      const r = await send(`${e.ngsiUrl}/v2/entities`, { headers: { Origin: ORIGIN } })
      expect(r.status).toBe(200)
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
      const pre = await send(`${e.ngsiUrl}/v2/entities`, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } })
      expect(pre.status).toBe(405)
      expect(pre.headers['access-control-allow-origin']).toBeUndefined()
      const north = await send(`${e.northUrl}/iot/about`, { headers: { Origin: ORIGIN } })
      expect(north.headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await e.dispose()
    }
  })

  it('with __ALL answers preflights and allows any origin with *', async () => {
    const e = await startEngine((c) => {
      c.cors = { origin: '__ALL', maxAge: 600 }
    })
    try {
      const pre = await send(`${e.ngsiUrl}/v2/entities`, { method: 'OPTIONS', headers: { Origin: 'http://anything.example', 'Access-Control-Request-Method': 'POST' } })
      expect(pre.status).toBe(200)
      expect(pre.text).toBe('')
      expect(pre.headers['access-control-allow-origin']).toBe('*')
      expect(pre.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS')
      expect(pre.headers['access-control-allow-headers']).toBe(
        'Content-Type, Fiware-Service, Fiware-Servicepath, Ngsiv2-AttrsFormat, Fiware-Correlator, X-Forwarded-For, X-Real-IP, X-Auth-Token, Authorization'
      )
      expect(pre.headers['access-control-max-age']).toBe('600')
      expect(pre.headers['access-control-expose-headers']).toBe('Fiware-Correlator, Fiware-Total-Count, Location')
      const attrs = await send(`${e.ngsiUrl}/v2/entities/E1/attrs/a`, { method: 'OPTIONS', headers: { Origin: 'http://anything.example' } })
      expect(attrs.headers['access-control-allow-methods']).toBe('GET, PUT, DELETE, OPTIONS')

      const created = await send(`${e.ngsiUrl}/v2/entities`, {
        method: 'POST',
        headers: { Origin: 'http://anything.example', 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: 'C1', type: 'T' })
      })
      expect(created.status).toBe(201)
      expect(created.headers['access-control-allow-origin']).toBe('*')
      expect(created.headers['access-control-expose-headers']).toBe('Fiware-Correlator, Fiware-Total-Count, Location')
      expect(created.headers['access-control-max-age']).toBeUndefined()
      // Errors carry them too, except a 405; requests without Origin never.
      expect((await send(`${e.ngsiUrl}/v2/entities/nope`, { headers: { Origin: ORIGIN } })).headers['access-control-allow-origin']).toBe('*')
      const notAllowed = await send(`${e.ngsiUrl}/v2/entities`, { method: 'DELETE', headers: { Origin: ORIGIN } })
      expect(notAllowed.status).toBe(405)
      expect(notAllowed.headers['access-control-allow-origin']).toBeUndefined()
      expect((await send(`${e.ngsiUrl}/v2/entities`)).headers['access-control-allow-origin']).toBeUndefined()
      const version = await send(`${e.ngsiUrl}/version`, { headers: { Origin: ORIGIN } })
      expect(version.headers['access-control-allow-origin']).toBe('*')
      // The agent's north API has no CORS (as iotagent-node-lib).
      expect((await send(`${e.northUrl}/iot/about`, { headers: { Origin: ORIGIN } })).headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await e.dispose()
    }
  })

  it('with one origin allows exactly that origin', async () => {
    const e = await startEngine((c) => {
      c.cors = { origin: ORIGIN, maxAge: 86400 }
    })
    try {
      const ok = await send(`${e.ngsiUrl}/v2/entities`, { headers: { Origin: ORIGIN } })
      expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN)
      const pre = await send(`${e.ngsiUrl}/v2/subscriptions/abc`, { method: 'OPTIONS', headers: { Origin: ORIGIN } })
      expect(pre.status).toBe(200)
      expect(pre.headers['access-control-allow-methods']).toBe('GET, DELETE, PATCH, OPTIONS')
      expect(pre.headers['access-control-max-age']).toBe('86400')
      const other = await send(`${e.ngsiUrl}/v2/entities`, { headers: { Origin: 'http://localhost:3001' } })
      expect(other.status).toBe(200)
      expect(other.headers['access-control-allow-origin']).toBeUndefined()
      const otherPre = await send(`${e.ngsiUrl}/v2/entities`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3001' } })
      expect(otherPre.status).toBe(200)
      expect(Object.keys(otherPre.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    } finally {
      await e.dispose()
    }
  })
})

describe('1 MiB request limit', () => {
  let e: RunningEngine

  beforeAll(async () => {
    e = await startEngine()
  })
  afterAll(async () => {
    await e?.dispose()
  })

  it('NGSI: 1 MiB is accepted, one byte more is 413 RequestEntityTooLarge', async () => {
    const json = { 'Content-Type': 'application/json' }
    const fits = exactly(MIB, '{"id":"Big","type":"T","a":{"type":"Text","value":"', '"}}')
    expect((await send(`${e.ngsiUrl}/v2/entities`, { method: 'POST', headers: json, body: fits })).status).toBe(201)
    const over = exactly(MIB + 1, '{"id":"Big2","type":"T","a":{"type":"Text","value":"', '"}}')
    const r = await send(`${e.ngsiUrl}/v2/entities`, { method: 'POST', headers: json, body: over })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.text)).toEqual({ error: 'RequestEntityTooLarge', description: `payload size: ${MIB + 1}, max size supported: ${MIB}` })
    expect((await send(`${e.ngsiUrl}/v2/entities/Big2`)).status).toBe(404)
  })

  it('north API: 1 MiB is accepted, one byte more is 413 PAYLOAD_TOO_LARGE', async () => {
    const headers = { 'Content-Type': 'application/json', 'fiware-service': 'big', 'fiware-servicepath': '/' }
    const device = (id: string): string => `{"devices":[{"device_id":"${id}","entity_type":"T","static_attributes":[{"name":"s","type":"Text","value":"`
    const fits = exactly(MIB, device('d1'), '"}]}]}')
    expect((await send(`${e.northUrl}/iot/devices`, { method: 'POST', headers, body: fits })).status).toBe(201)
    const r = await send(`${e.northUrl}/iot/devices`, { method: 'POST', headers, body: exactly(MIB + 1, device('d2'), '"}]}]}') })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.text)).toMatchObject({ name: 'PAYLOAD_TOO_LARGE' })
  })
})

describe('serve flags', () => {
  it('--allowed-host reaches the GUI server and the APIs, --cors-origin the NGSI port', async () => {
    const site = siteFixture()
    const data = tempDir('ulcc-serve-guards-')
    const ports = [...EPHEMERAL_PORT_FLAGS]
    const args = ['--import', 'tsx', 'electron/serve.ts', '--data-dir', data.path, '--host', '127.0.0.1', ...ports, '--gui-dir', site.root]
    const child = spawn(process.execPath, [...args, '--allowed-host', 'ulcc.test', '--cors-origin', '__ALL', '--cors-max-age', '30'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, ULCC_GUI_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    try {
      let out = ''
      let err = ''
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          if (/^Ready\./m.test(out)) resolve()
        })
        void exited.then(() => resolve())
      })
      const url = (name: string): string => {
        const line = out.split('\n').find((l) => l.startsWith(name))
        expect(line, out + err).toBeDefined()
        return line!.split(/\s+/).find((w) => w.startsWith('http://'))!
      }
      const gui = url('GUI')
      const guiPort = new URL(gui).port
      expect((await send(gui, { headers: { Host: `ulcc.test:${guiPort}` } })).status).toBe(200)
      expect((await send(gui, { headers: { Host: `${EVIL}:${guiPort}` } })).status).toBe(403)
      const ngsi = url('NGSI-v2 context broker')
      expect((await send(`${ngsi}/version`, { headers: { Host: 'ulcc.test' } })).status).toBe(200)
      expect((await send(`${ngsi}/version`, { headers: { Host: EVIL } })).status).toBe(400)
      const pre = await send(`${ngsi}/v2/entities`, { method: 'OPTIONS', headers: { Origin: 'http://app.example' } })
      expect(pre.status).toBe(200)
      expect(pre.headers['access-control-allow-origin']).toBe('*')
      expect(pre.headers['access-control-max-age']).toBe('30')
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      data.cleanup()
      site.cleanup()
    }
  })
})
