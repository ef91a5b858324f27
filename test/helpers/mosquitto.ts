import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { accessSync, chmodSync, constants, writeFileSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { join } from 'node:path'
import { tempDir } from './temp-dir'
import { waitFor } from './wait-for'

/**
 * Debian's Mosquitto for tests: a broker process per suite on a free loopback port, with its
 * configuration in a temporary directory, and the mosquitto_pub / mosquitto_sub clients.
 */

function findExecutable(name: string, dirs: string[]): string | undefined {
  for (const dir of [...dirs, ...(process.env.PATH ?? '').split(':')]) {
    if (!dir) continue
    const p = join(dir, name)
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {
      // not here
    }
  }
  return undefined
}

export const MOSQUITTO = findExecutable('mosquitto', ['/usr/sbin'])
export const MOSQUITTO_PUB = findExecutable('mosquitto_pub', ['/usr/bin'])
export const MOSQUITTO_SUB = findExecutable('mosquitto_sub', ['/usr/bin'])
export const MOSQUITTO_PASSWD = findExecutable('mosquitto_passwd', ['/usr/bin'])
export const OPENSSL = findExecutable('openssl', ['/usr/bin'])
/** coreutils' stdbuf: mosquitto_sub block-buffers a pipe, which would hide its SUBACK line. */
export const STDBUF = findExecutable('stdbuf', ['/usr/bin'])

/**
 * Whether a suite that needs these programs runs. Without them the suite is skipped with the
 * reason, except under CI (`CI` set), where a missing program fails instead of hiding tests.
 */
export function requirePrograms(programs: Record<string, string | undefined>): { skip: boolean; reason: string } {
  const missing = Object.entries(programs)
    .filter(([, path]) => !path)
    .map(([name]) => name)
  if (missing.length === 0) return { skip: false, reason: '' }
  const reason = `${missing.join(', ')} not installed (Debian: apt-get install mosquitto mosquitto-clients)`
  if (process.env.CI) throw new Error(`CI is set and ${reason}`)
  return { skip: true, reason }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export interface MosquittoOptions {
  /** Users and passwords; when given, anonymous clients are refused. */
  users?: Record<string, string>
  /** Log every packet (`log_type all`), e.g. to see when a client sends a PUBACK. */
  verbose?: boolean
  /** MQTT over TLS with a self-signed certificate for 127.0.0.1 (made with openssl). */
  tls?: boolean
  /** More lines of mosquitto.conf, e.g. `max_queued_messages 100000`. */
  extra?: string[]
}

export interface Mosquitto {
  port: number
  /** mqtt://127.0.0.1:<port>, or mqtts:// with `tls`. */
  url: string
  /** With `tls`: the certificate, which is also the CA to trust. */
  caFile?: string
  /** Everything the broker logged (stderr). */
  log(): string
  /** SIGSTOP: the broker keeps its connections open but answers nothing. */
  pause(): void
  /** SIGKILL, as a crash: clients see the connection drop. */
  kill(): Promise<void>
  /** Starts the broker again on the same port and waits until it accepts connections. */
  restart(): Promise<void>
  /** Stops the broker and removes its directory. */
  stop(): Promise<void>
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed')
  const bin = MOSQUITTO
  const dir = tempDir('ulcc-mosquitto-')
  const port = await freePort()
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', 'log_type information']
  if (opts.verbose) lines.push('log_type all')
  if (opts.extra) lines.push(...opts.extra)
  let caFile: string | undefined
  if (opts.tls) {
    if (!OPENSSL) throw new Error('openssl is not installed')
    caFile = join(dir.path, 'cert.pem')
    const keyFile = join(dir.path, 'key.pem')
    const r = spawnSync(
      OPENSSL,
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { timeout: 30_000 }
    )
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr?.toString()}`)
    lines.push(`certfile ${caFile}`, `keyfile ${keyFile}`)
  }
  if (opts.users) {
    if (!MOSQUITTO_PASSWD) throw new Error('mosquitto_passwd is not installed')
    const pwFile = join(dir.path, 'passwd')
    let first = true
    for (const [user, password] of Object.entries(opts.users)) {
      const args = ['-b', pwFile, user, password]
      // -c creates the file (and would truncate it on the next user).
      const r = spawnSync(MOSQUITTO_PASSWD, first ? ['-c', ...args] : args, { timeout: 10_000 })
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr?.toString()}`)
      first = false
    }
    lines.push('allow_anonymous false', `password_file ${pwFile}`)
  } else {
    lines.push('allow_anonymous true')
  }
  const confFile = join(dir.path, 'mosquitto.conf')
  writeFileSync(confFile, lines.join('\n') + '\n')
  // Started as root, Mosquitto drops to the `mosquitto` user before it reads the password and
  // certificate files, which must then be readable by that user.
  if (process.getuid?.() === 0) {
    chmodSync(dir.path, 0o755)
    for (const f of ['passwd', 'mosquitto.conf', 'cert.pem', 'key.pem']) {
      try {
        chmodSync(join(dir.path, f), 0o644)
      } catch {
        // not used by this configuration
      }
    }
  }

  let output = ''
  let child: ChildProcess | undefined
  const launch = async (): Promise<void> => {
    const proc = spawn(bin, ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()))
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()))
    let exited = false
    proc.once('exit', () => (exited = true))
    await waitFor(
      async () => {
        if (exited) throw new Error(`mosquitto exited at start:\n${output}`)
        return accepts(port)
      },
      `mosquitto on 127.0.0.1:${port}`,
      10_000,
      50
    )
  }
  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill(signal)
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  await launch()
  return {
    port,
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    caFile,
    log: () => output,
    pause: () => {
      child?.kill('SIGSTOP')
    },
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGKILL')
      await launch()
    },
    stop: async () => {
      await terminate('SIGTERM')
      dir.cleanup()
    }
  }
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface ClientRun {
  result: Promise<RunResult>
  /** Output so far, to wait for a subscriber's SUBACK (`-d`) before publishing. */
  stdout(): string
  kill(): void
}

/**
 * Runs mosquitto_pub / mosquitto_sub, killed after `timeoutMs` if it has not exited by then. Its
 * output is line-buffered (stdbuf) so that stdout() shows each line as it is printed.
 */
export function runClient(bin: string, args: string[], timeoutMs = 10_000): ClientRun {
  const proc = STDBUF ? spawn(STDBUF, ['-oL', bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')))
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
  const result = new Promise<RunResult>((resolve) => {
    proc.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    proc.once('error', (err) => {
      clearTimeout(timer)
      resolve({ code: -1, stdout, stderr: stderr + err.message })
    })
  })
  return {
    result,
    stdout: () => stdout,
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
    }
  }
}
