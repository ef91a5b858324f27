/**
 * The device page's charts, in Portuguese: a single measure is a visible dot and "1 ponto", the
 * unit comes from the attribute's unitCode metadata, a device that stops sending is marked stale
 * after three of its measured intervals (and no longer once it sends again), a paused chart keeps
 * its view until back to live, and the time range and the last command value survive a reload.
 * Measures are published by a real MQTT client on the engine's broker, as a device would.
 */
import { connectAsync, type MqttClient } from 'mqtt'
import type { Page } from '@playwright/test'
import { axeProblems } from './gui-checks'
import { expect, openGui, provisionTutorial, T7, test, type RunningGui } from './gui-fixture'

test.use({ locale: 'pt-BR' })

/** A second device of the tutorial's group whose temperature declares its unit (unitCode CEL, degree Celsius). */
const DEVICE002 = {
  device_id: 'device002',
  entity_name: 'urn:ngsi-ld:Device:002',
  entity_type: 'Device',
  protocol: 'PDI-IoTA-UltraLight',
  transport: 'MQTT',
  attributes: [{ object_id: 't', name: 'temperature', type: 'Number', metadata: { unitCode: { type: 'Text', value: 'CEL' } } }]
}
const TOPIC = `ul/${T7.apikey}/device002/attrs`

async function provision(gui: RunningGui): Promise<void> {
  await provisionTutorial(gui)
  const res = await fetch(`${gui.northUrl}/iot/devices`, { method: 'POST', headers: T7.headers, body: JSON.stringify({ devices: [DEVICE002] }) })
  expect(res.status, 'POST /iot/devices').toBe(201)
}

async function showDevice(page: Page, id: string): Promise<void> {
  await page.getByTestId('nav-device').click()
  await page.getByTestId('device-picker').fill(id)
  await expect(page.getByTestId('device-entity-id')).toHaveText(`urn:ngsi-ld:Device:${id.slice(-3)}`)
}

/** Pixels of the chart's canvas drawn in the line's colour (the accent): the line and its dots. */
async function linePixels(page: Page, name: string): Promise<number> {
  const accent = String(await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"))
  expect(accent).toMatch(/^#[0-9a-f]{6}$/i)
  return page.getByTestId(`chart-${name}`).evaluate((figure, accent) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16))
    let n = 0
    for (const canvas of figure.querySelectorAll('canvas')) {
      const ctx = canvas.getContext('2d')
      if (!ctx) continue
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 60 && data[i + 3]! > 200) n++
    }
    return n
  }, accent)
}

test('um ponto visível, a unidade do unitCode, o aviso de dispositivo parado e a pausa', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await provision(gui)
  await openGui(page, gui)
  await showDevice(page, 'device002')
  await expect(page.getByTestId('no-telemetry')).toBeVisible()
  // No entity yet (it comes with the first measure): its recent measures cannot be read.
  await expect(page.getByText('Não foi possível ler as medidas recentes')).toBeVisible()

  const device: MqttClient = await connectAsync(gui.mqttUrl, { reconnectPeriod: 0 })
  try {
    // One measure: one dot, "1 ponto", the value with its unit.
    await device.publishAsync(TOPIC, 't|21.5')
    const chart = page.getByTestId('chart-temperature')
    await expect(page.getByTestId('chart-points-temperature')).toHaveText('1 ponto')
    await expect(chart).toHaveAttribute('data-symbols', 'shown')
    // The entity did not exist when the page opened: its window is read again once points come.
    await expect(page.getByText('Não foi possível ler as medidas recentes')).toHaveCount(0)
    await expect.poll(() => linePixels(page, 'temperature')).toBeGreaterThan(0)
    await expect(page.getByTestId('chart-value-temperature')).toHaveText('21,5 °C')
    await expect(chart.getByRole('img')).toHaveAccessibleName('Gráfico de temperature ao longo do tempo, em °C')
    // Not stale: one point has no interval to measure.
    await expect(chart).toHaveAttribute('data-stale', 'false')

    // Every 300 ms a few times, then silence: the device is marked stale after three intervals.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 300))
      await device.publishAsync(TOPIC, `t|${22 + i}`)
    }
    await expect(page.getByTestId('chart-points-temperature')).toHaveText('6 pontos')
    const stale = page.getByTestId('chart-stale-temperature')
    await expect(stale).toBeVisible({ timeout: 10_000 })
    await expect(stale).toContainText(/^sem dados há \d+ s \(intervalo medido: (\d+ ms|\d+(,\d+)? s)\)$/)
    await expect(chart).toHaveAttribute('data-stale', 'true')
    expect(await axeProblems(page)).toEqual([])

    // The device sends again: the marker goes (it is sending every 300 ms while this is checked).
    let sending = true
    const resumed = (async () => {
      for (let v = 30; sending; v++) {
        await device.publishAsync(TOPIC, `t|${v}`)
        await new Promise((r) => setTimeout(r, 300))
      }
    })()
    try {
      await expect(stale).toHaveCount(0)
      await expect(chart).toHaveAttribute('data-stale', 'false')
    } finally {
      sending = false
      await resumed
    }

    // Paused: a new measure is collected (counted) but the shown value stays until back to live.
    await expect(page.getByTestId('chart-value-temperature')).not.toHaveText('99 °C')
    const pause = page.getByTestId('chart-pause')
    await pause.press('Enter')
    await expect(pause).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('chart-paused')).toContainText('Pausado às')
    const shown = await page.getByTestId('chart-value-temperature').textContent()
    await device.publishAsync(TOPIC, 't|99')
    await expect(page.getByTestId('chart-since-pause-temperature')).toContainText(/^\d+ pontos? novos? desde a pausa$/)
    await expect(page.getByTestId('entity-json')).toContainText('"value": 99')
    await expect(page.getByTestId('chart-value-temperature')).toHaveText(shown!)
    await expect(chart).toHaveAttribute('data-paused', 'true')
    expect(await axeProblems(page)).toEqual([])

    const live = page.getByTestId('chart-live')
    await expect(live).toHaveText('Voltar ao vivo')
    await live.focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('chart-paused')).toHaveCount(0)
    await expect(pause).toHaveAttribute('aria-pressed', 'false')
    await expect(page.getByTestId('chart-value-temperature')).toHaveText('99 °C')
    await expect(page.getByTestId('chart-since-pause-temperature')).toHaveCount(0)
  } finally {
    await device.endAsync()
  }
})

test('o período dos gráficos e o último valor de um comando continuam após recarregar a página', async ({ page, gui }) => {
  await provision(gui)
  await openGui(page, gui)
  // (Series are recorded while a GUI is connected.)
  await gui.publish(TOPIC, 't|20')

  await showDevice(page, 'device002')
  const range = page.getByTestId('chart-range')
  await expect(range).toHaveAccessibleName('Período exibido')
  await expect(range).toHaveValue('300000')
  await range.selectOption({ label: 'últimos 15 minutos' })

  await showDevice(page, 'device001')
  await expect(page.getByTestId('cmd-value-interval')).toHaveValue('2')
  await page.getByTestId('cmd-value-interval').fill('7')
  await page.getByTestId('cmd-send-interval').click()
  await expect(page.getByTestId('cmd-status-interval')).toBeVisible()

  // The simulated device's interval: started with 0.7 s, then stopped.
  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-interval')).toHaveValue('1')
  await page.getByTestId('seed-interval').fill('0.7')
  await page.getByTestId('seed-toggle').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()
  await page.getByTestId('seed-toggle').click()
  await expect(page.getByTestId('seed-running')).toHaveCount(0)

  await page.reload()
  await expect(page.getByTestId('stack-diagram')).toBeVisible()
  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-interval')).toHaveValue('0.7')
  await showDevice(page, 'device001')
  await expect(page.getByTestId('cmd-value-interval')).toHaveValue('7')
  // Per command: switch still has the tutorial's value.
  await expect(page.getByTestId('cmd-value-switch')).toHaveValue('1')
  await showDevice(page, 'device002')
  await expect(page.getByTestId('chart-range')).toHaveValue('900000')
})
