import { afterEach, describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import { serveHttp, type HttpService } from '../../../electron/engine/north/http-service'

describe('serveHttp', () => {
  let svc: HttpService | undefined
  afterEach(async () => {
    await svc?.close()
    svc = undefined
  })

  it('serves one app on every loopback address with one port', async () => {
    const app = Fastify()
    app.get('/ping', async () => ({ pong: true }))
    svc = await serveHttp(app, ['127.0.0.1', '::1'], 0, 'test API')
    const port = svc.bound[0]!.port
    expect(port).toBeGreaterThan(0)
    for (const b of svc.bound) expect(b.port).toBe(port)
    const res = await fetch(`http://127.0.0.1:${port}/ping`)
    expect(await res.json()).toEqual({ pong: true })
    if (svc.bound.some((b) => b.host === '::1')) {
      const res6 = await fetch(`http://[::1]:${port}/ping`)
      expect(res6.status).toBe(200)
    }
  })

  it('names the service and the port when the port is taken', async () => {
    const first = Fastify()
    svc = await serveHttp(first, ['127.0.0.1'], 0, 'first API')
    const taken = svc.bound[0]!.port
    await expect(serveHttp(Fastify(), ['127.0.0.1'], taken, 'NGSI-v2 API')).rejects.toThrow(`NGSI-v2 API: port ${taken} on 127.0.0.1 is already in use`)
  })
})
