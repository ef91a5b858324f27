/**
 * Tutorial 6 in the forms, in Portuguese: the provisioning page chosen on the IoT Agent JSON
 * provisions its group and its HTTP device001 (with the endpoint of the tutorial's dummy device)
 * on the JSON agent's own north port and registry, never on the UltraLight agent's; the overview
 * counts each agent's registry apart; the device page sends the device an HTTP command that the
 * built-in dummy device answers.
 */
import { readFileSync } from 'node:fs'
import { CREATE_SERVICE_BODY, MEASURE_BODY, PROVISION_DEVICE_BODY } from '../fixtures/tutorial6'
import { axeProblems, shoot } from './gui-checks'
import { expect, openGui, T7, test } from './gui-fixture'

test.use({ locale: 'pt-BR' })

/** The engine's endpoints name loopback `localhost`: the page's addresses are compared by port. */
const viaLocalhost = (url: string): string => `http://localhost:${new URL(url).port}`

const list = async (base: string, path: string): Promise<{ count: number; services?: unknown[]; devices?: unknown[] }> => {
  const res = await fetch(`${base}${path}`, { headers: T7.headers })
  expect(res.status, `GET ${base}${path}`).toBe(200)
  return (await res.json()) as { count: number }
}

test('o tutorial 6 nos formulários: o grupo e o dispositivo HTTP vão para o Agente IoT JSON', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-provisioning').click()
  const choice = page.getByTestId('agent-choice')
  await expect(choice.getByRole('radio', { name: /UltraLight 2\.0/ })).toBeChecked()
  await expect(page.getByTestId('agent-url')).toContainText(viaLocalhost(gui.northUrl))

  // The choice is a radio group: the arrow keys move it, and the page follows.
  await choice.getByRole('radio', { name: /UltraLight 2\.0/ }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(choice.getByRole('radio', { name: /JSON/ })).toBeChecked()
  await expect(page.getByTestId('agent-url')).toContainText(`Esta página envia os pedidos para ${viaLocalhost(gui.jsonNorthUrl)}.`)

  // The group: tutorial 6's preset, sent to the JSON agent's north port.
  await page.getByTestId('new-item').click()
  await page.getByTestId('group-preset').click()
  await expect(page.getByTestId('group-preset')).toHaveText('Preencher como no tutorial 6')
  await expect(page.locator('.preview .request')).toHaveText(`POST ${viaLocalhost(gui.jsonNorthUrl)}/iot/services`)
  const { cbroker, ...group } = CREATE_SERVICE_BODY.services[0]!
  void cbroker
  expect(JSON.parse((await page.getByTestId('preview-json').textContent()) ?? '{}')).toEqual({ services: [group] })
  expect(await axeProblems(page, { where: 'group form of the JSON agent' })).toEqual([])
  await page.getByTestId('group-save').click()
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()
  expect((await list(gui.jsonNorthUrl, '/iot/services')).count).toBe(1)
  expect((await list(gui.northUrl, '/iot/services')).count).toBe(0)

  // The device: HTTP with the dummy device's endpoint, which is checked as an address.
  await page.getByTestId('tab-devices').click()
  await page.keyboard.press('n')
  await page.getByTestId('device-preset').click()
  await expect(page.getByTestId('device-transport')).toHaveValue('HTTP')
  await expect(page.getByTestId('device-endpoint')).toHaveValue('http://dummy-device:80/dht22')
  expect(JSON.parse((await page.getByTestId('preview-json').textContent()) ?? '{}')).toEqual(PROVISION_DEVICE_BODY)
  await page.getByTestId('device-endpoint').fill('dummy-device:80/dht22')
  await page.getByTestId('device-endpoint').blur()
  await expect(page.locator('.field').filter({ has: page.getByTestId('device-endpoint') }).getByRole('alert')).toHaveText(
    'Informe um endereço http:// ou https://, por exemplo http://dummy-device:80/dht22.'
  )
  await page.getByTestId('device-endpoint').fill('http://dummy-device:80/dht22')
  expect(await axeProblems(page, { where: 'device form of the JSON agent' })).toEqual([])
  await shoot(page, 'provisioning-json-device')
  await page.getByTestId('device-save').click()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  await expect(page.getByTestId('agent-json-count')).toHaveText('1')
  await expect(page.getByTestId('agent-ul-count')).toHaveText('0')
  const stored = (await (await fetch(`${gui.jsonNorthUrl}/iot/devices/device001`, { headers: T7.headers })).json()) as { transport: string; endpoint: string }
  expect([stored.transport, stored.endpoint]).toEqual(['HTTP', 'http://dummy-device:80/dht22'])
  expect((await list(gui.northUrl, '/iot/devices')).count).toBe(0)

  // Back on the UltraLight agent: its own, empty registry.
  await page.getByTestId('agent-ul').check()
  await expect(page.getByTestId('device-row-device001')).toHaveCount(0)
  await page.getByTestId('agent-json').check()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  // The export is the JSON agent's, and says so in its name.
  const download = page.waitForEvent('download')
  await page.getByTestId('export').click()
  expect((await download).suggestedFilename()).toBe('provisioning-json-openiot.json')
  const doc = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { services: Array<{ resource: string }>; devices: Array<{ endpoint: string }> }
  expect([doc.services.map((g) => g.resource), doc.devices.map((d) => d.endpoint)]).toEqual([['/iot/json'], ['http://dummy-device:80/dht22']])

  // A measure as the dummy device posts it; the overview counts it on the JSON agent.
  const measure = await fetch(`${gui.southUrl}/iot/json?k=${T7.apikey}&i=device001`, { method: 'POST', headers: T7.headers, body: JSON.stringify(MEASURE_BODY) })
  expect(measure.status).toBe(200)
  await page.getByTestId('nav-overview').click()
  for (const [id, n] of [['json-agent-devices', '1'], ['json-agent-groups', '1'], ['agent-devices', '0'], ['agent-groups', '0']] as const) await expect(page.getByTestId(id)).toHaveText(n)
  await expect(page.getByTestId('json-measures-count')).toContainText(/^1 ·/)
  await expect(page.getByTestId('devices-count')).toHaveText('1')
  await shoot(page, 'overview-json-agent')

  // The same device over MQTT: the inspector reads its JSON as the JSON agent did, mapped to the provisioned names.
  const topic = `/json/${T7.apikey}/device001/attrs`
  await gui.publish(topic, '{"temperature":12,"humidity":40}')
  await page.getByTestId('nav-inspector').click()
  const row = page.getByTestId('message-row').filter({ hasText: topic })
  await expect(row).toHaveCount(1)
  await row.click()
  const detail = page.getByTestId('message-detail')
  await expect(detail.getByTestId('decoded')).toContainText('12')
  await expect(detail.getByTestId('mapped-temperature')).toHaveText('temperature')
  await expect(detail.getByTestId('mapped-humidity')).toHaveText('relativeHumidity')
  expect(await axeProblems(page, { where: 'inspector with a JSON message' })).toEqual([])

  // The device page finds device001 in the JSON agent; its command goes over HTTP to the built-in dht22.
  await page.getByTestId('nav-provisioning').click()
  await page.getByTestId('open-device-device001').click()
  await expect(page.getByTestId('device-agent')).toHaveText('Agente IoT JSON')
  await page.getByTestId('cmd-value-interval').fill('15')
  await page.getByTestId('cmd-send-interval').click()
  await expect(page.getByTestId('cmd-status-interval')).toHaveText('OK')
  await expect(page.getByTestId('cmd-info-interval')).toContainText('Interval')
})

test('a lição do tutorial 6 leva aos formulários do Agente IoT JSON e à tela do dispositivo', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-lessons').click()
  await page.getByTestId('lesson-iot-agent-json-http').click()
  await expect(page.getByTestId('lesson-detail').getByRole('heading', { level: 2 })).toHaveText('Agente IoT JSON sobre HTTP')

  // The group step opens the JSON agent's group form with tutorial 6's values, whatever agent the page showed.
  await page.getByTestId('step-go-service-group').click()
  await expect(page.getByTestId('agent-json')).toBeChecked()
  await expect(page.getByTestId('group-resource')).toHaveValue('/iot/json')
  await page.getByTestId('group-save').click()
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()
  await page.getByTestId('nav-lessons').click()
  await expect(page.getByTestId('step-state-service-group')).toHaveText(/^✓ feito às/)

  // The device step, after the trainee looked at the UltraLight agent meanwhile.
  await page.getByTestId('nav-provisioning').click()
  await page.getByTestId('agent-ul').check()
  await page.getByTestId('nav-lessons').click()
  await page.getByTestId('step-go-provision-device').click()
  await expect(page.getByTestId('agent-json')).toBeChecked()
  await expect(page.getByTestId('device-endpoint')).toHaveValue('http://dummy-device:80/dht22')
  await page.getByTestId('device-save').click()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  await page.getByTestId('nav-lessons').click()
  await expect(page.getByTestId('step-state-provision-device')).toHaveText(/^✓ feito às/)

  // The measure as the dummy device posts it; then the command step's button opens device001 of the JSON agent.
  const measure = await fetch(`${gui.southUrl}/iot/json?k=${T7.apikey}&i=device001`, { method: 'POST', headers: T7.headers, body: JSON.stringify(MEASURE_BODY) })
  expect(measure.status).toBe(200)
  await expect(page.getByTestId('step-state-send-measure')).toHaveText(/^✓ feito às/)
  const toggle = page.getByTestId('step-toggle-interval-command')
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await page.getByTestId('step-go-interval-command').click()
  await expect(page.getByTestId('device-agent')).toHaveText('Agente IoT JSON')
  await page.getByTestId('cmd-value-interval').fill('15')
  await page.getByTestId('cmd-send-interval').click()
  await expect(page.getByTestId('cmd-status-interval')).toHaveText('OK')
  await page.getByTestId('nav-lessons').click()
  await expect(page.getByTestId('step-state-interval-command')).toHaveText(/^✓ feito às/)
})
