import { checkPagination } from './entity-reads'
import { notFound, DESC } from './errors'
import { parseRegistration } from './registration-input'
import { RegistrationStore, registrationView, type RegistrationView } from './registrations'
import { checkTenant, parseServicePathHeader } from './scope'

/**
 * The registration operations (docs/compatibility/ngsi-v2.md §5.1) with Orion's scoping rules: a registration belongs to
 * a tenant and stores the first service path of its request ('/' when none); listing with a
 * path shows only registrations stored with exactly that path, and so does GET by id
 * (functional test 3945); DELETE ignores the path.
 */

export interface RegistrationScope {
  service: string
  /** The `Fiware-ServicePath` header as received (may be absent). */
  servicePath?: string
}

export interface RegistrationPage {
  limit?: number
  offset?: number
}

function firstPath(header: string | undefined, use: 'GET' | 'POST' | 'DELETE'): string | undefined {
  const paths = parseServicePathHeader(header, use)
  return paths[0] === undefined || paths[0] === '' ? undefined : paths[0]
}

export class RegistrationsApi {
  private constructor(readonly store: RegistrationStore) {}

  static async open(filename: string, compactionIntervalMs?: number): Promise<RegistrationsApi> {
    return new RegistrationsApi(await RegistrationStore.open(filename, compactionIntervalMs))
  }

  /** Validates the body (HTTP JSON or the IoT Agent's RegistrationRequest) and stores it. */
  async create(scope: RegistrationScope, body: unknown): Promise<string> {
    const tenant = checkTenant(scope.service)
    const servicePath = firstPath(scope.servicePath, 'POST') ?? '/'
    const spec = parseRegistration(body)
    const reg = await this.store.create(tenant, servicePath, spec)
    return reg.id
  }

  list(scope: RegistrationScope, page: RegistrationPage = {}): { registrations: RegistrationView[]; count: number } {
    const tenant = checkTenant(scope.service)
    const { limit, offset } = checkPagination(page.limit, page.offset)
    const all = this.store.list(tenant, firstPath(scope.servicePath, 'GET'))
    return { registrations: all.slice(offset, offset + limit).map(registrationView), count: all.length }
  }

  get(scope: RegistrationScope, id: string): RegistrationView {
    const tenant = checkTenant(scope.service)
    const path = firstPath(scope.servicePath, 'GET')
    const reg = this.store.get(tenant, id, path === '/#' ? undefined : path)
    if (!reg) throw notFound(DESC.registrationNotFound)
    return registrationView(reg)
  }

  async delete(scope: RegistrationScope, id: string): Promise<void> {
    const tenant = checkTenant(scope.service)
    if (!(await this.store.delete(tenant, id))) throw notFound(DESC.registrationNotFound)
  }

  async close(): Promise<void> {
    await this.store.close()
  }
}
