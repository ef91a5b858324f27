/**
 * Lessons in words: the commands of a lesson with the running app's values filled in, the
 * sentence that says what made each kind of check done (in both languages), the hints that apply
 * now, the current step and where a step's "do it in the app" button leads.
 */
import { describe, expect, it } from 'vitest'
import type { LessonProgressDto, LessonStep } from '../../../shared/contract'
import type { LessonCheck } from '../../../shared/lessons'
import type { MessageKey } from '../../../renderer/src/i18n'
import { allMessages } from '../../../renderer/src/i18n/messages/index'
import { activeHints, askedHints, currentStepIndex, evidenceText, fillPlaceholders, guiTarget, tenantText } from '../../../renderer/src/services/lesson-text'

/** A message with its parameters filled in, as vue-i18n does for these plain messages. */
const tr =
  (locale: 'en' | 'pt-BR') =>
  (key: MessageKey, params: Record<string, unknown> = {}): string =>
    allMessages[key][locale].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p]))
const tEn = tr('en')
const tPt = tr('pt-BR')

const PLACEHOLDERS = { ngsi: 'http://127.0.0.1:41026', north: 'http://127.0.0.1:44042', mqttHost: '127.0.0.1', mqttPort: '41883', service: 'openiot', servicePath: '/' }

describe('fillPlaceholders', () => {
  it('puts the running values in a curl command and leaves its JSON body alone', () => {
    const curl = `curl -iX POST '{north}/iot/services' -H 'fiware-service: {service}' -H 'fiware-servicepath: {servicePath}' -d '{"services": [{"apikey": "k"}]}'`
    expect(fillPlaceholders(curl, PLACEHOLDERS)).toBe(
      `curl -iX POST 'http://127.0.0.1:44042/iot/services' -H 'fiware-service: openiot' -H 'fiware-servicepath: /' -d '{"services": [{"apikey": "k"}]}'`
    )
  })

  it('fills mosquitto_pub host and port, and every occurrence', () => {
    expect(fillPlaceholders("mosquitto_pub -h {mqttHost} -p {mqttPort} -t 'a' # {mqttPort}", PLACEHOLDERS)).toBe("mosquitto_pub -h 127.0.0.1 -p 41883 -t 'a' # 41883")
  })

  it('leaves unknown placeholders as they are', () => {
    expect(fillPlaceholders('{ngsi}/v2/{unknown}/{ service }/{}', PLACEHOLDERS)).toBe('http://127.0.0.1:41026/v2/{unknown}/{ service }/{}')
    // Inherited names are not values.
    expect(fillPlaceholders('{toString}{constructor}', PLACEHOLDERS)).toBe('{toString}{constructor}')
  })

  it('inserts values exactly as given (no quoting, no second substitution)', () => {
    const values = { service: "te'st $(rm -rf /)", north: '{service}' }
    expect(fillPlaceholders("-H 'fiware-service: {service}' {north}", values)).toBe("-H 'fiware-service: te'st $(rm -rf /)' {service}")
  })
})

const CHECKS: Array<{ check: LessonCheck; data?: unknown; en: string; pt: string }> = [
  {
    check: { kind: 'request', api: 'north', method: 'GET', path: '/iot/about' },
    data: { method: 'GET', path: '/iot/about', status: 200 },
    en: 'GET /iot/about reached the IoT Agent’s provisioning API, answered with 200.',
    pt: 'GET /iot/about chegou à API de provisionamento do Agente IoT, com a resposta 200.'
  },
  {
    check: { kind: 'request', api: 'ngsi', path: '/v2/entities/urn:ngsi-ld:Device:001' },
    en: 'GET /v2/entities/urn:ngsi-ld:Device:001 reached the context broker.',
    pt: 'GET /v2/entities/urn:ngsi-ld:Device:001 chegou ao context broker.'
  },
  {
    check: { kind: 'group', apikey: '4jggokgpepnvsb2uv4s40d59ov', entity_type: 'Device' },
    en: 'The service group with the API key 4jggokgpepnvsb2uv4s40d59ov exists (entity type Device).',
    pt: 'O grupo de serviço com a chave de API 4jggokgpepnvsb2uv4s40d59ov existe (tipo de entidade Device).'
  },
  {
    check: { kind: 'device', device_id: 'device001' },
    data: { device_id: 'device001', entity_name: 'urn:ngsi-ld:Device:001' },
    en: 'device001 is provisioned (entity urn:ngsi-ld:Device:001).',
    pt: 'O device001 está provisionado (entidade urn:ngsi-ld:Device:001).'
  },
  {
    check: { kind: 'measure', device_id: 'device001', attributes: ['temperature'] },
    data: { entityId: 'urn:ngsi-ld:Device:001', values: { temperature: 21.5, relativeHumidity: 40 } },
    en: 'A measure of device001 reached its entity: temperature, relativeHumidity.',
    pt: 'Uma medida do device001 chegou à sua entidade: temperature, relativeHumidity.'
  },
  {
    check: { kind: 'command', device_id: 'device001', command: 'switch', status: 'OK' },
    en: 'The command switch of device001 ended with OK.',
    pt: 'O comando switch do device001 terminou com OK.'
  },
  {
    check: { kind: 'measure-interval', device_id: 'device001', atMostSeconds: 2.5 },
    data: { seconds: 2.004 },
    en: 'Two measures of device001 arrived 2 s apart.',
    pt: 'Duas medidas do device001 chegaram com 2 s de intervalo.'
  },
  {
    check: { kind: 'measure-interval', device_id: 'device001', atMostSeconds: 2.5 },
    en: 'Two measures of device001 arrived at most 2.5 s apart.',
    pt: 'Duas medidas do device001 chegaram com no máximo 2,5 s de intervalo.'
  },
  {
    check: { kind: 'entity', type: 'Store', count: 2, attributes: ['name', 'address'] },
    en: '2 matching entities exist (type Store; attributes name, address).',
    pt: 'Há 2 entidades correspondentes (tipo Store; atributos name, address).'
  },
  { check: { kind: 'entity-gone', id: 'urn:ngsi-ld:Product:010' }, en: 'The entity urn:ngsi-ld:Product:010 no longer exists.', pt: 'A entidade urn:ngsi-ld:Product:010 não existe mais.' },
  {
    check: { kind: 'entity-gone', id: 'urn:ngsi-ld:Store:001', attribute: 'tweets' },
    en: 'The attribute tweets of urn:ngsi-ld:Store:001 no longer exists.',
    pt: 'O atributo tweets de urn:ngsi-ld:Store:001 não existe mais.'
  },
  {
    check: { kind: 'registration', entityId: 'urn:ngsi-ld:Store:001', attributes: ['tweets'] },
    en: 'A registration (context provider) covers entity urn:ngsi-ld:Store:001; attributes tweets.',
    pt: 'Um registro (provedor de contexto) cobre entidade urn:ngsi-ld:Store:001; atributos tweets.'
  },
  { check: { kind: 'subscription' }, en: 'A subscription exists for any entity.', pt: 'Existe uma assinatura para qualquer entidade.' },
  {
    check: { kind: 'subscription', entityType: 'Product', notified: true },
    en: 'A subscription for type Product sent a notification, answered with success.',
    pt: 'Uma assinatura para tipo Product enviou uma notificação, respondida com sucesso.'
  }
]

describe('evidenceText', () => {
  it('words every kind of check in both languages', () => {
    const kinds = new Set(CHECKS.map((c) => c.check.kind))
    expect([...kinds].sort()).toEqual(['command', 'device', 'entity', 'entity-gone', 'group', 'measure', 'measure-interval', 'registration', 'request', 'subscription'])
    for (const c of CHECKS) {
      const ev = { data: c.data }
      expect(evidenceText(c.check, ev, tEn, 'en'), `${c.check.kind} en`).toBe(c.en)
      expect(evidenceText(c.check, ev, tPt, 'pt-BR'), `${c.check.kind} pt-BR`).toBe(c.pt)
    }
  })

  it('prefers what the engine saw to what the check asked for', () => {
    const check: LessonCheck = { kind: 'command', device_id: 'device001', command: 'switch', status: 'OK' }
    expect(evidenceText(check, { data: { status: 'ERROR', device_id: 'lamp7' } }, tEn, 'en')).toBe('The command switch of lamp7 ended with ERROR.')
    // Data that is not an object is ignored.
    expect(evidenceText(check, { data: 'weird' }, tEn, 'en')).toBe('The command switch of device001 ended with OK.')
  })
})

/** A step as the lesson loader gives it (the schema's static type of `ways.gui` is narrower than its runtime check). */
const asStep = (step: unknown): LessonStep => step as LessonStep

const STEP: LessonStep = asStep({
  id: 'first-measure',
  goal: { en: 'Send a measure', 'pt-BR': 'Envie uma medida' },
  explain: { en: 'e', 'pt-BR': 'e' },
  ways: { gui: { view: 'simulator', intent: 'start-seed-device', text: { en: 'x', 'pt-BR': 'x' } } },
  check: { kind: 'measure', device_id: 'device001' },
  hints: [
    { when: { rejected: 'NO_GROUP' }, text: { en: 'No group has the key.', 'pt-BR': 'Nenhum grupo tem a chave.' } },
    { when: { rejected: 'any' }, text: { en: 'Refused.', 'pt-BR': 'Recusada.' } }
  ]
})

describe('hints and steps', () => {
  it('gives the active hints in the language, with what was observed, skipping unknown indexes', () => {
    const hints = [
      { index: 0, at: 5, observed: 'ul/wrongkey/device001/attrs: NO_GROUP' },
      { index: 7, at: 6 },
      { index: 1, at: 7 }
    ]
    expect(activeHints(STEP, hints, 'pt-BR')).toEqual([
      { text: 'Nenhum grupo tem a chave.', at: 5, observed: 'ul/wrongkey/device001/attrs: NO_GROUP' },
      { text: 'Recusada.', at: 7 }
    ])
    expect(activeHints(STEP, hints, 'en').map((h) => h.text)).toEqual(['No group has the key.', 'Refused.'])
  })

  it('gives the hints a trainee asks for (the `always` ones) in the language, and only those', () => {
    const step = { ...STEP, hints: [...STEP.hints!, { when: { always: true as const }, text: { en: 'Look at the inspector.', 'pt-BR': 'Olhe o inspetor.' } }] }
    expect(askedHints(step, 'pt-BR')).toEqual(['Olhe o inspetor.'])
    expect(askedHints(step, 'en')).toEqual(['Look at the inspector.'])
    expect(askedHints(STEP, 'en')).toEqual([])
  })

  it('finds the current step: the first one not done', () => {
    const steps = [{ id: 'a' }, { id: 'b' }, { id: 'c' }]
    const progress = (states: Array<'todo' | 'done'>): LessonProgressDto => ({ lessonId: 'l', steps: states.map((state, i) => ({ stepId: steps[i]!.id, state, hints: [] })) })
    expect(currentStepIndex(progress(['todo', 'todo', 'todo']), steps)).toBe(0)
    expect(currentStepIndex(progress(['done', 'todo', 'done']), steps)).toBe(1)
    expect(currentStepIndex(progress(['done', 'done', 'done']), steps)).toBe(-1)
    // No progress known yet: the first step.
    expect(currentStepIndex(null, steps)).toBe(0)
  })

  it('leads each GUI way to its view, with the form or the device prepared', () => {
    const way = (view: string, intent?: string, agent?: 'ul' | 'json'): LessonStep =>
      asStep({
        ...STEP,
        ways: { gui: { view, ...(intent ? { intent } : {}), text: { en: 'x', 'pt-BR': 'x' } } },
        check: { kind: 'command', ...(agent ? { agent } : {}), device_id: 'device001', command: 'switch', status: 'OK' }
      })
    expect(guiTarget(way('provisioning', 'new-group-preset'))).toEqual({ view: 'provisioning', form: 'new-group', agent: 'ul' })
    expect(guiTarget(way('provisioning', 'new-device-preset'))).toEqual({ view: 'provisioning', form: 'new-device', agent: 'ul' })
    expect(guiTarget(way('simulator', 'start-seed-device'))).toEqual({ view: 'simulator' })
    expect(guiTarget(way('device', 'send-command'))).toEqual({ view: 'device', deviceId: 'device001', agent: 'ul' })
    expect(guiTarget(way('device'))).toEqual({ view: 'device', deviceId: 'device001', agent: 'ul' })
    expect(guiTarget(way('trace'))).toEqual({ view: 'inspector' })
    expect(guiTarget(way('settings'))).toEqual({ view: 'settings' })
    // A step of the JSON agent's lesson opens that agent's form and finds the device in its registry.
    expect(guiTarget(way('provisioning', 'new-group-preset', 'json'))).toEqual({ view: 'provisioning', form: 'new-group', agent: 'json' })
    expect(guiTarget(way('provisioning', 'new-device-preset', 'json'))).toEqual({ view: 'provisioning', form: 'new-device', agent: 'json' })
    expect(guiTarget(way('device', 'send-command', 'json'))).toEqual({ view: 'device', deviceId: 'device001', agent: 'json' })
    expect(guiTarget({ ...STEP, ways: {} })).toBeNull()
  })

  it('says the tenant as the headers do', () => {
    expect(tenantText('openiot', '/')).toBe('fiware-service: openiot, fiware-servicepath: /')
  })
})
