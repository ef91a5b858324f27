/**
 * The seed tutorial (Postman collection, "Tutorial 7") done entirely through the GUI, in either
 * language: the service group and device001 provisioned with the forms, the simulated device
 * started, `switch` and `interval` sent with their lifecycle shown, and temperature drawn on the
 * chart. The specs give the texts they expect in their language.
 */
import type { Page } from '@playwright/test'
import { expect, T7 } from './gui-fixture'

export interface TutorialTexts {
  /** The overview's first hint on an empty engine. */
  nextHint: string
  /** The form's message when the group is saved without an API key. */
  apikeyProblem: string
  /** The overview's message once every step has worked. */
  allDone: string
}

/** Runs the tutorial on a page that already shows the GUI (see openGui). */
export async function doSeedTutorial(page: Page, texts: TutorialTexts): Promise<void> {
  await expect(page.getByTestId('next-hint')).toContainText(texts.nextHint)

  // 1. The service group, with the form.
  await page.getByTestId('nav-provisioning').click()
  await page.getByTestId('new-item').click()
  const group = page.getByTestId('group-form')
  await group.getByTestId('group-save').click()
  await expect(group.getByRole('alert').first()).toContainText(texts.apikeyProblem)
  await group.getByTestId('group-apikey').fill(T7.apikey)
  await group.getByTestId('group-entity-type').fill('Device')
  await expect(page.getByTestId('preview-json')).toContainText(`"apikey": "${T7.apikey}"`)
  await expect(page.getByTestId('preview-curl')).toContainText("-H 'fiware-service: openiot'")
  await group.getByTestId('group-save').click()
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()

  // 2. device001, with the form, row by row as in the collection.
  await page.getByTestId('tab-devices').click()
  await page.getByTestId('new-item').click()
  const device = page.getByTestId('device-form')
  await device.getByTestId('device-id').fill('device001')
  await device.getByTestId('device-entity-name').fill('urn:ngsi-ld:Device:001')
  await device.getByTestId('device-entity-type').fill('Device')
  await device.getByTestId('device-protocol').fill('PDI-IoTA-UltraLight')
  for (const [i, [id, name]] of [['t', 'temperature'], ['rh', 'relativeHumidity']].entries()) {
    await device.getByTestId('attributes-add').click()
    await device.getByTestId(`attributes-${i}-object_id`).fill(id!)
    await device.getByTestId(`attributes-${i}-name`).fill(name!)
    await device.getByTestId(`attributes-${i}-type`).fill('Number')
  }
  for (const [i, name] of ['switch', 'interval'].entries()) {
    await device.getByTestId('commands-add').click()
    await device.getByTestId(`commands-${i}-name`).fill(name)
  }
  await device.getByTestId('static_attributes-add').click()
  await device.getByTestId('static_attributes-0-name').fill('refStore')
  await device.getByTestId('static_attributes-0-type').fill('Relationship')
  await device.getByTestId('static_attributes-0-value').fill('urn:ngsi-ld:Store:001')
  // The JSON beside the form is the collection's body.
  const body = JSON.parse((await page.getByTestId('preview-json').textContent()) ?? '{}') as { devices: unknown[] }
  expect(body).toEqual({ devices: [{ ...T7.device.devices[0] }] })
  await device.getByTestId('device-save').click()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()

  // 3. The simulated device001, switched off as the tutorial's.
  await page.getByTestId('nav-simulator').click()
  await expect(page.getByTestId('seed-apikey')).toHaveValue(T7.apikey)
  await page.getByTestId('seed-interval').fill('0.5')
  await page.getByTestId('seed-toggle').click()
  await expect(page.getByTestId('seed-running')).toBeVisible()

  // 4. switch with the value 1: PENDING, then OK with the device's answer.
  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('device-entity-id')).toHaveText('urn:ngsi-ld:Device:001')
  await page.getByTestId('cmd-value-switch').fill('1')
  await page.getByTestId('cmd-send-switch').click()
  await expect(page.getByTestId('cmd-status-switch')).toHaveText('OK')
  await expect(page.getByTestId('cmd-info-switch')).toContainText('Started sending data')

  // 5. The measures that follow, on the temperature chart.
  await expect(page.getByTestId('chart-temperature')).toBeVisible()
  await expect(page.getByTestId('chart-value-temperature')).not.toHaveText('–')
  await expect(page.getByTestId('chart-relativeHumidity')).toBeVisible()
  await expect(page.getByTestId('entity-json')).toContainText('"temperature"')

  // 6. interval 2: OK again.
  await page.getByTestId('cmd-value-interval').fill('2')
  await page.getByTestId('cmd-send-interval').click()
  await expect(page.getByTestId('cmd-status-interval')).toHaveText('OK')
  await expect(page.getByTestId('cmd-info-interval')).toContainText('2')

  // The overview now says the tutorial is done.
  await page.getByTestId('nav-overview').click()
  await expect(page.getByTestId('next-steps')).toContainText(texts.allDone)
}
