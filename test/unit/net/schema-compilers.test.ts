import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { lazySchemaController } from '../../../electron/engine/net/schema-compilers'

describe('lazySchemaController', () => {
  let app: FastifyInstance | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  it('validates request schemas and serializes response schemas as Fastify does by default', async () => {
    app = Fastify({ schemaController: lazySchemaController })
    app.post(
      '/things',
      {
        schema: {
          body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } },
          response: { 201: { type: 'object', properties: { name: { type: 'string' } } } }
        }
      },
      async (req, reply) => reply.code(201).send({ name: (req.body as { name: string }).name, secret: 'not in the schema' })
    )
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    const post = (body: unknown): Promise<Response> => fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

    const ok = await post({ name: 'lamp' })
    expect(ok.status).toBe(201)
    // The response schema's serializer drops what the schema does not name.
    expect(await ok.json()).toEqual({ name: 'lamp' })

    const bad = await post({ name: 'x' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toBe('body/name must NOT have fewer than 2 characters')
  })
})
