/**
 * The History view, in Portuguese, fed as in tutorial 8: the context broker is subscribed to
 * `http://cygnus:5050/notify` (routed to the built-in Cygnus sink) through the NGSI port, a few
 * values are PATCHed, and the view shows the chart's text summary, zooms by keyboard, exports the
 * points as CSV (a real download) and passes axe. The overview shows both agents and the history
 * as measured.
 */
import { readFileSync } from 'node:fs'
import { axeProblems } from './gui-checks'
import { expect, openGui, provisionTutorial, T7, test, type RunningGui } from './gui-fixture'

test.use({ locale: 'pt-BR' })

const ENTITY = 'urn:ngsi-ld:Device:001'

async function ngsi(gui: RunningGui, method: string, path: string, body: unknown, expected: number): Promise<void> {
  const res = await fetch(`${gui.ngsiUrl}${path}`, { method, headers: T7.headers, body: JSON.stringify(body) })
  expect(res.status, `${method} ${path}: ${await res.text()}`).toBe(expected)
}

test('histórico: resumo do gráfico, zoom pelo teclado, CSV baixado e acessibilidade', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await openGui(page, gui)
  // The overview: the two agents as two hops, the history as a fourth component, each measured.
  await expect(page.getByTestId('json-agent-state')).toHaveAttribute('data-state', 'listening')
  await expect(page.getByTestId('history-state')).toHaveAttribute('data-state', 'listening')
  await expect(page.getByTestId('history-state')).toHaveAttribute('aria-label', 'Histórico (Cygnus + STH-Comet): escutando')
  await expect(page.getByTestId('history-port-cygnus')).toContainText('/notify')
  await expect(page.getByTestId('agent-south')).toContainText('http://localhost:')

  // No history yet: the view says how to get some, with the subscription's curl.
  await page.getByTestId('overview-open-history').click()
  await expect(page.locator('#view-title')).toHaveText('Histórico')
  await expect(page.getByTestId('history-empty')).toContainText('Ainda não há histórico neste serviço')
  await expect(page.getByTestId('history-subscribe-curl')).toContainText('http://cygnus:5050/notify')
  await expect(page.getByTestId('history-subscribe-curl')).toContainText("fiware-service: openiot")
  expect(await axeProblems(page, { where: 'histórico vazio' })).toEqual([])

  // Tutorial 8: subscribe the context broker to Cygnus, then the entity and three changes.
  await ngsi(gui, 'POST', '/v2/subscriptions', { description: 'Notify Cygnus', subject: { entities: [{ idPattern: '.*' }] }, notification: { http: { url: 'http://cygnus:5050/notify' } } }, 201)
  await ngsi(gui, 'POST', '/v2/entities', { id: ENTITY, type: 'Device', temperature: { type: 'Number', value: 20, metadata: { unitCode: { type: 'Text', value: 'CEL' } } } }, 201)
  for (const v of [21, 22.5, 19]) await ngsi(gui, 'PATCH', `/v2/entities/${ENTITY}/attrs?options=keyValues`, { temperature: v }, 204)

  // Notifications are asynchronous: refresh until the four are in.
  await expect(async () => {
    await page.getByTestId('history-refresh').click()
    await expect(page.getByTestId('history-summary')).toContainText('4 pontos', { timeout: 1000 })
  }).toPass({ timeout: 20_000 })
  await expect(page.getByTestId('history-pick')).toContainText(`${ENTITY} · temperature (4 pontos)`)
  const summary = page.getByTestId('history-summary')
  await expect(summary).toContainText('Mínimo: 19 °C. Máximo: 22,5 °C. Último: 19 °C')
  await expect(page.getByTestId('history-thinned')).toHaveCount(0)
  const chart = page.getByTestId('history-chart')
  await expect(chart).toHaveAttribute('data-points', '4')
  // The chart's text alternative: its name, and the summary as its description.
  const img = chart.getByRole('img')
  await expect(img).toHaveAccessibleName(`Gráfico de temperature de ${ENTITY} ao longo do tempo, em °C`)
  await expect(img).toHaveAccessibleDescription(/^4 pontos de .* Último: 19 °C/)

  // Zoom with the keyboard only.
  await page.getByTestId('history-zoom-in').focus()
  await page.keyboard.press('Enter')
  await expect(chart).toHaveAttribute('data-zoom', '25-75')
  await page.getByTestId('history-earlier').focus()
  await page.keyboard.press('Enter')
  await expect(chart).toHaveAttribute('data-zoom', '0-50')
  await page.getByTestId('history-zoom-reset').focus()
  await page.keyboard.press('Enter')
  await expect(chart).toHaveAttribute('data-zoom', '0-100')

  // The CSV of the points in range, as the browser downloads it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export').click()])
  expect(download.suggestedFilename()).toBe('history-urn_ngsi-ld_Device_001-temperature.csv')
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n')
  expect(lines[0]).toBe('recvTime,value')
  expect(lines.slice(1, -1).map((l) => l.split(',')[1])).toEqual(['20', '21', '22.5', '19'])
  for (const l of lines.slice(1, -1)) expect(new Date(l.split(',')[0]!).toISOString()).toBe(l.split(',')[0])
  expect(lines.at(-1)).toBe('')
  await expect(page.getByTestId('history-export-note')).toHaveText('4 pontos exportados para history-urn_ngsi-ld_Device_001-temperature.csv.')
  // The same history through the STH-Comet API.
  await expect(page.getByTestId('history-sth-curl')).toContainText('/STH/v1/contextEntities/type/Device/id/urn%3Angsi-ld%3ADevice%3A001/attributes/temperature?lastN=10')

  // The last hour holds them too.
  await page.getByTestId('history-range').selectOption('1h')
  await expect(summary).toContainText('4 pontos')

  expect(await axeProblems(page, { where: 'histórico' })).toEqual([])
  await page.getByTestId('toggle-theme').click()
  expect(await axeProblems(page, { where: 'histórico, tema escuro' })).toEqual([])
})

test('histórico longo: reduzido para o gráfico e dito em palavras, o CSV com todos os pontos; o link da página do dispositivo', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await provisionTutorial(gui)
  await openGui(page, gui)
  // The sink's address as the overview shows it; 3,000 values of device001's temperature, one a minute.
  const sink = (await page.getByTestId('history-port-cygnus').locator('code').textContent())!
  expect(sink).toMatch(/^http:\/\/localhost:\d+\/notify$/)
  const T0 = Date.now() - 3000 * 60_000
  for (let chunk = 0; chunk < 3000; chunk += 500) {
    const data = Array.from({ length: 500 }, (_, i) => ({
      id: ENTITY,
      type: 'Device',
      temperature: { type: 'Number', value: (chunk + i) % 100, metadata: { TimeInstant: { type: 'DateTime', value: new Date(T0 + (chunk + i) * 60_000).toISOString() } } }
    }))
    const res = await fetch(sink, { method: 'POST', headers: { ...T7.headers, 'ngsiv2-attrsformat': 'normalized' }, body: JSON.stringify({ subscriptionId: 's', data }) })
    expect(res.status).toBe(200)
  }

  // From the device page to its entity's history.
  await page.getByTestId('nav-device').click()
  await page.getByTestId('device-picker').fill('device001')
  await page.getByTestId('device-history').click()
  await expect(page.locator('#view-title')).toHaveText('Histórico')
  await expect(page.getByTestId('history-pick')).toContainText(`${ENTITY} · temperature (3.000 pontos)`)
  await page.getByTestId('history-range').selectOption('all')
  await expect(page.getByTestId('history-summary')).toContainText('3.000 pontos')
  await expect(page.getByTestId('history-summary')).toContainText('Mínimo: 0. Máximo: 99. Último: 99')
  await expect(page.getByTestId('history-thinned')).toContainText('o período tem 3.000 pontos')
  await expect(page.getByTestId('history-chart')).not.toHaveAttribute('data-points', '3000')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export').click()])
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n').slice(1, -1)
  expect(lines).toHaveLength(3000)
  expect(lines.map((l) => l.split(',')[1])).toEqual(Array.from({ length: 3000 }, (_, i) => String(i % 100)))
  expect(lines[0]!.split(',')[0]).toBe(new Date(T0).toISOString())
  // 24 hours hold the last 1,440 minutes (one less once the clock has moved on).
  await page.getByTestId('history-range').selectOption('24h')
  await expect(page.getByTestId('history-summary')).toContainText(/^1\.4(39|40) pontos/)
})
