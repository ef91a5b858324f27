/** The topic inspector: a measure published from the publish panel, decoded and mapped to its attributes. */
import { expect, openGui, provisionTutorial, T7, test } from './gui-fixture'

test('a published UltraLight measure is decoded and mapped to temperature and relativeHumidity', async ({ page, gui }) => {
  await provisionTutorial(gui)
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()

  const topic = `ul/${T7.apikey}/device001/attrs`
  await page.getByTestId('publish-topic').fill(topic)
  await page.getByTestId('publish-payload').fill('t|21|rh|40')
  await page.getByTestId('publish').click()
  await expect(page.getByTestId('publish-result')).toContainText('the IoT Agent accepted it')

  const row = page.getByTestId('message-row').filter({ hasText: topic }).filter({ hasText: 't|21|rh|40' })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('temperature')
  // Who published it, in words: this window's publish panel, speaking as a device.
  await expect(row.getByTestId('message-source')).toHaveText('Publish panel')
  await row.click()

  const detail = page.getByTestId('message-detail')
  await expect(detail.getByTestId('detail-topic')).toHaveText(topic)
  await expect(detail.getByTestId('mapped-t')).toHaveText('temperature')
  await expect(detail.getByTestId('mapped-rh')).toHaveText('relativeHumidity')
  await expect(detail.getByTestId('agent-attributes')).toContainText('temperature')
  await expect(detail.getByTestId('agent-attributes')).toContainText('relativeHumidity')
  await expect(detail.getByTestId('detail-source')).toContainText('the publish panel of this window')
  await expect(detail.getByTestId('detail-hop')).toHaveText('device → broker')
  await expect(detail.getByTestId('agent-verdict')).toHaveText('Accepted as a measure.')

  // The topic tree counts it, and a measure with an unknown API key is shown as rejected, in plain words.
  await expect(page.getByTestId('topic-tree')).toContainText('device001')
  await page.getByTestId('publish-topic').fill('ul/nokey/device001/attrs')
  await page.getByTestId('publish').click()
  // The panel says the agent rejected it, and why (not "Published").
  await expect(page.getByTestId('publish-result')).toContainText('Rejected by the agent: No service group has this API key')
  await page.getByTestId('filter-errors').check()
  const rejected = page.getByTestId('message-row').filter({ hasText: 'ul/nokey/device001/attrs' })
  await expect(rejected).toHaveCount(1)
  await rejected.click()
  await expect(detail.getByTestId('agent-error')).toContainText('No service group has this API key')
  // Rejected: the reason, the unprovisioned badge, and no attribute mapping.
  await expect(rejected.getByTestId('badge-unprovisioned')).toHaveText('unprovisioned')
  await expect(detail.getByTestId('agent-verdict')).toHaveText('Rejected by the IoT Agent.')
  await expect(detail.getByTestId('mapped-t')).toHaveCount(0)

  // Paused, the log keeps what arrives aside and shows how much.
  await page.getByTestId('filter-errors').uncheck()
  await page.keyboard.press('p')
  await expect(page.getByTestId('hold-gauge')).toBeVisible()
  await page.getByTestId('publish-topic').fill(topic)
  await page.getByTestId('publish').click()
  await expect(page.getByTestId('hold-gauge')).toContainText('1 of 2,000')
  await page.getByTestId('pause').click()
  await expect(page.getByTestId('message-row').filter({ hasText: topic })).toHaveCount(2)
})
