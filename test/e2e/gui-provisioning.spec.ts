/** Provisioning forms beyond the tutorial: the preset, delete with confirmation and undo, export, a fleet's group. */
import { readFileSync } from 'node:fs'
import { expect, openGui, T7, test } from './gui-fixture'

test('the Tutorial 7 preset, delete with undo, and the export', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('next-hint').getByRole('button').click()
  // The overview's hint opens the group form already filled as in the collection.
  await expect(page.getByTestId('group-apikey')).toHaveValue(T7.apikey)
  await page.getByTestId('group-save').click()
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()

  await page.getByTestId('tab-devices').click()
  await page.keyboard.press('n')
  await page.getByTestId('device-preset').click()
  const body = JSON.parse((await page.getByTestId('preview-json').textContent()) ?? '{}') as unknown
  expect(body).toEqual(T7.device)
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('device-row-device001')).toBeVisible()

  // Editing, then closing the form, gives the focus back to that row's edit button.
  await page.getByRole('button', { name: 'Edit device001' }).click()
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByRole('button', { name: 'Edit device001' })).toBeFocused()

  // Delete asks first; undo brings the device back as it was.
  await page.getByTestId('delete-device-device001').click()
  await page.getByTestId('confirm').click()
  await expect(page.getByTestId('device-row-device001')).toHaveCount(0)
  await page.getByTestId('toast').filter({ hasText: 'device001 deleted' }).getByTestId('toast-action').click()
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  const restored = await fetch(`${gui.northUrl}/iot/devices/device001`, { headers: T7.headers })
  expect(((await restored.json()) as { static_attributes: unknown }).static_attributes).toEqual(T7.device.devices[0]!.static_attributes)

  // The export is the agent's JSON, downloaded by the page.
  const download = page.waitForEvent('download')
  await page.getByTestId('export').click()
  expect((await download).suggestedFilename()).toBe('provisioning-ul-openiot.json')
  const file = await (await download).path()
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { services: Array<{ apikey: string }>; devices: Array<{ device_id: string }> }
  expect(doc.services.map((s) => s.apikey)).toEqual([T7.apikey])
  expect(doc.devices.map((d) => d.device_id)).toEqual(['device001'])
})

test('a fleet gets its autoprovisioning group from the simulator and sends measures', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-simulator').click()
  const fleet = page.getByTestId('fleet-panel')
  await fleet.getByTestId('fleet-apikey').fill('fleetkey')
  await expect(fleet.getByTestId('fleet-group-warning')).toContainText('No service group here has the API key fleetkey')
  await fleet.getByTestId('fleet-group-warning').getByRole('button').click()
  await expect(fleet.getByTestId('fleet-group-warning')).toHaveCount(0)
  await fleet.getByLabel('How many devices').fill('3')
  await fleet.getByLabel('Interval (seconds)').fill('0.2')
  await fleet.getByTestId('fleet-start').click()
  const row = fleet.getByTestId('fleets').locator('tbody tr')
  await expect(row).toHaveCount(1)
  await expect.poll(async () => Number((await row.locator('td').nth(1).textContent())?.replace(/\D/g, '') ?? 0)).toBeGreaterThan(5)
  await page.getByTestId('nav-provisioning').click()
  await page.getByTestId('tab-devices').click()
  await expect(page.getByTestId('device-row-sensor1')).toBeVisible()
})
