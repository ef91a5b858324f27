/**
 * Fastify's own schema compilers (Ajv for request schemas, fast-json-stringify for response
 * schemas), loaded the first time a route declares a schema instead of when the app is created.
 * Our routes validate their bodies with typebox (north/iota/request.ts) and declare no Fastify
 * schema, so these packages are never needed; loading them anyway costs about a tenth of a second
 * of the engine's start. Passed as `schemaController` to Fastify().
 */
import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type BuildValidator = NonNullable<CompilersFactory['buildValidator']>
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>

/** Loads a package as Fastify itself would: resolved from Fastify's folder. */
function fromFastify(name: string): unknown {
  const fastifyMain = createRequire(import.meta.url).resolve('fastify')
  return createRequire(fastifyMain)(name)
}

let validator: BuildValidator | undefined
let serializer: BuildSerializer | undefined

const buildValidator: BuildValidator = (externalSchemas, options) => {
  validator ??= (fromFastify('@fastify/ajv-compiler') as () => BuildValidator)()
  return validator(externalSchemas, options)
}

const buildSerializer: BuildSerializer = (externalSchemas, options) => {
  serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => BuildSerializer)()
  return serializer(externalSchemas, options)
}

export const lazySchemaController: NonNullable<FastifyServerOptions['schemaController']> = { compilersFactory: { buildValidator, buildSerializer } }
