import { DocStore } from '../../persist/doc-store'
import { formatIsoDate } from './datetime'
import { newObjectId } from './object-id'
import type { ForwardingMode, RegistrationEntity, RegistrationSpec } from './registration-input'

/**
 * Registrations of context providers (docs/compatibility/ngsi-v2.md §5.1): in memory per tenant, in creation order,
 * persisted in registrations.db (each write awaited before the client gets its 201/204).
 */

export interface StoredRegistration extends RegistrationSpec {
  id: string
  tenant: string
  /** The service path of the creating request ('/' when none); its query scope. */
  servicePath: string
}

/** A registration as `GET /v2/registrations` renders it, in Orion's key order. */
export interface RegistrationView {
  id: string
  description?: string
  expires?: string
  dataProvided: { entities: RegistrationEntity[]; attrs: string[] }
  provider: { http: { url: string }; supportedForwardingMode: ForwardingMode; legacyForwarding: boolean }
  status: 'active' | 'inactive'
}

export function registrationView(r: StoredRegistration): RegistrationView {
  const view: Partial<RegistrationView> = { id: r.id }
  if (r.description) view.description = r.description
  if (r.expires !== undefined) view.expires = formatIsoDate(r.expires)
  view.dataProvided = {
    entities: r.entities.map((e) => {
      const out: RegistrationEntity = {}
      if (e.id !== undefined) out.id = e.id
      if (e.idPattern !== undefined) out.idPattern = e.idPattern
      if (e.type !== undefined) out.type = e.type
      return out
    }),
    attrs: [...r.attrs]
  }
  view.provider = { http: { url: r.url }, supportedForwardingMode: r.supportedForwardingMode, legacyForwarding: r.legacyForwarding }
  view.status = r.status
  return view as RegistrationView
}

/** The entity type a registration gives an entity the request named by id only. */
export function registrationEntityType(reg: StoredRegistration, id: string): string | undefined {
  return reg.entities.find((e) => e.id === id || e.idPattern === '.*')?.type
}

/** Whether a registration stored under `regPath` covers entities of `servicePath`. */
export function registrationCoversPath(regPath: string, servicePath: string): boolean {
  if (regPath === servicePath) return true
  if (!regPath.endsWith('/#')) return false
  const base = regPath.slice(0, -2)
  return base === '' || servicePath === base || servicePath.startsWith(base + '/')
}

export class RegistrationStore {
  private readonly byTenant = new Map<string, Map<string, StoredRegistration>>()

  private constructor(private readonly docs: DocStore<StoredRegistration>) {}

  static async open(filename: string, compactionIntervalMs?: number): Promise<RegistrationStore> {
    const docs = await DocStore.open<StoredRegistration>(filename, compactionIntervalMs)
    const store = new RegistrationStore(docs)
    const all = (await docs.all()).map((r) => r.value)
    all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (const r of all) store.tenant(r.tenant).set(r.id, r)
    return store
  }

  private tenant(name: string): Map<string, StoredRegistration> {
    let t = this.byTenant.get(name)
    if (!t) {
      t = new Map()
      this.byTenant.set(name, t)
    }
    return t
  }

  async create(tenant: string, servicePath: string, spec: RegistrationSpec): Promise<StoredRegistration> {
    const reg: StoredRegistration = { ...spec, id: newObjectId(), tenant, servicePath }
    await this.docs.put(reg.id, reg)
    this.tenant(tenant).set(reg.id, reg)
    return reg
  }

  /** With a path, only registrations stored with exactly that path (Orion's listing rule). */
  list(tenant: string, servicePath?: string): StoredRegistration[] {
    const all = [...(this.byTenant.get(tenant)?.values() ?? [])]
    if (servicePath === undefined || servicePath === '/#') return all
    return all.filter((r) => r.servicePath === servicePath)
  }

  get(tenant: string, id: string, servicePath?: string): StoredRegistration | undefined {
    const r = this.byTenant.get(tenant)?.get(id)
    if (!r || (servicePath !== undefined && r.servicePath !== servicePath)) return undefined
    return r
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    const t = this.byTenant.get(tenant)
    if (!t?.has(id)) return false
    await this.docs.remove(id)
    t.delete(id)
    return true
  }

  /**
   * Registrations able to serve `purpose` for an entity: same tenant, covering path, active and
   * not expired, NGSI-v2 forwarding (legacy NGSIv1 providers are not supported), entity id
   * (or `.*`) and type matching (a registration without type matches any type, and so does a
   * request without type).
   */
  providersFor(
    tenant: string,
    inPath: (regPath: string) => boolean,
    id: string | undefined,
    type: string | undefined,
    purpose: 'query' | 'update',
    now = Date.now()
  ): StoredRegistration[] {
    const t = this.byTenant.get(tenant)
    if (!t || t.size === 0) return []
    const out: StoredRegistration[] = []
    for (const r of t.values()) {
      if (r.status !== 'active' || r.legacyForwarding) continue
      if (r.expires !== undefined && r.expires <= now) continue
      if (r.supportedForwardingMode !== 'all' && r.supportedForwardingMode !== purpose) continue
      if (!inPath(r.servicePath)) continue
      const matches = r.entities.some(
        (e) => (id === undefined || e.id === id || e.idPattern === '.*') && (e.type === undefined || type === undefined || e.type === type)
      )
      if (matches) out.push(r)
    }
    return out
  }

  async close(): Promise<void> {
    await this.docs.close()
  }
}
