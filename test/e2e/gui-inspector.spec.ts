/**
 * The topic inspector: a measure published from the publish panel, decoded and mapped to its
 * attributes; search, retained messages, export, a large fleet, back to live, publish history.
 */
import { readFileSync } from 'node:fs'
import { connectAsync, type MqttClient } from 'mqtt'
import { axeProblems } from './gui-checks'
import { expect, openGui, provisionTutorial, T7, test, type RunningGui } from './gui-fixture'

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

/** A real MQTT client of the engine's broker, as a device or another tool would be. */
async function mqttClient(gui: RunningGui): Promise<MqttClient> {
  return connectAsync(gui.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
}

test("a device's configuration request and the agent's configuration values are decoded as such, never as a command", async ({ page, gui }) => {
  await provisionTutorial(gui)
  await gui.publish(`ul/${T7.apikey}/device001/attrs`, 't|21|rh|40')
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()
  await gui.publish(`ul/${T7.apikey}/device001/configuration/commands`, 'configuration|temperature')

  // The request (on …/configuration/commands), not the answer, whose payload holds the same words.
  const request = page.getByTestId('message-row').filter({ hasText: '/configuration/commands' })
  await request.click()
  const detail = page.getByTestId('message-detail')
  await expect(detail.getByTestId('decoded-configuration')).toHaveText('The device asks the agent for the current values of: temperature. The agent answers on …/configuration/values.')

  const answer = page.getByTestId('message-row').filter({ hasText: 'device001@configuration|temperature=21' })
  await answer.click()
  await expect(detail.getByTestId('decoded-configuration')).toContainText('Configuration values the agent sends to device device001')
  await expect(detail.getByRole('cell', { name: 'temperature' })).toBeVisible()
  await expect(detail.getByRole('cell', { name: '21', exact: true })).toBeVisible()
  await expect(detail).not.toContainText('Command configuration')
})

test('the search finds a message by a piece of its payload, whatever the case', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()
  await gui.publish('lab/alpha', 'status|Needle-XYZ-42')
  await gui.publish('lab/beta', 'status|haystack')
  await expect(page.getByTestId('message-row')).toHaveCount(2)
  await page.getByTestId('filter-text').fill('needle-xyz')
  const rows = page.getByTestId('message-row')
  await expect(rows).toHaveCount(1)
  await expect(rows).toContainText('lab/alpha')
  await expect(page.getByTestId('log-count')).toHaveText('1 of 2 messages')
  // The topic is searched too.
  await page.getByTestId('filter-text').fill('BETA')
  await expect(rows).toHaveCount(1)
  await expect(rows).toContainText('status|haystack')
})

test('a retained message is listed as held by the broker, filters the log, and can be cleared', async ({ page, gui }) => {
  const device = await mqttClient(gui)
  try {
    await device.publishAsync('lab/room2/state', 'ON-retained', { qos: 1, retain: true })
    await device.publishAsync('lab/room10/state', 'OFF-retained', { qos: 1, retain: true })
    await openGui(page, gui)
    await page.getByTestId('nav-inspector').click()
    await page.getByTestId('tab-retained').click()
    const panel = page.getByTestId('retained-panel')
    await expect(panel.getByTestId('retained-source')).toHaveText(/Held by the embedded broker/)
    // Natural order: room2 before room10.
    await expect(panel.getByTestId('retained-topic')).toHaveText(['lab/room2/state', 'lab/room10/state'])
    await expect(panel.getByTestId('retained-row').first()).toContainText('ON-retained')
    await expect(panel.getByTestId('retained-count')).toHaveText('2 retained messages')

    await panel.getByRole('button', { name: 'Clear the retained message of lab/room2/state' }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog).toContainText('An empty retained message will be published on lab/room2/state')
    await dialog.getByTestId('confirm').click()
    await expect(panel.getByTestId('retained-topic')).toHaveText(['lab/room10/state'])
    // The broker forgot it: a new subscriber receives only the other one.
    const later = await mqttClient(gui)
    const got: string[] = []
    later.on('message', (topic, payload) => got.push(`${topic}=${payload.toString()}`))
    await later.subscribeAsync('lab/#', { qos: 1 })
    await device.publishAsync('lab/marker', 'm', { qos: 1 })
    await expect.poll(() => got.includes('lab/marker=m')).toBe(true)
    expect(got.filter((g) => g.startsWith('lab/room'))).toEqual(['lab/room10/state=OFF-retained'])
    await later.endAsync()

    await panel.getByRole('button', { name: 'Show the messages of lab/room10/state in the log' }).click()
    await expect(page.getByTestId('filter-topic')).toHaveValue('lab/room10/state')
    await expect(page.getByTestId('message-row')).toHaveCount(1)
  } finally {
    await device.endAsync()
  }
})

test('the messages shown export as CSV with a header, quoted fields and formulas neutralized, and as JSON', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()
  await gui.publish('export/one', '=1+2,"quoted"')
  await gui.publish('other/topic', 'not exported')
  await expect(page.getByTestId('message-row')).toHaveCount(2)
  await page.getByTestId('filter-topic').fill('export/#')
  await expect(page.getByTestId('message-row')).toHaveCount(1)

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  expect(csv.suggestedFilename()).toMatch(/^inspector-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/)
  const text = readFileSync(await csv.path(), 'utf8')
  const lines = text.split('\r\n')
  expect(lines[0]).toBe('time,topic,payload,size,truncated,payloadLossy,qos,retain,origin,source,hop,clientId,verdict,deviceId,error')
  expect(lines).toHaveLength(3)
  expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,export\/one,"'=1\+2,""quoted""",13,false,false,0,false,engine,/)
  expect(lines[2]).toBe('')

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()])
  const records = JSON.parse(readFileSync(await json.path(), 'utf8')) as Array<Record<string, unknown>>
  expect(records).toHaveLength(1)
  expect(records[0]).toMatchObject({ topic: 'export/one', payload: '=1+2,"quoted"', qos: 0, retain: false, origin: 'engine', verdict: 'not-for-agent' })
})

test('a fleet of 60 devices leaves its branch closed, sorted naturally; scrolling up offers the way back to live', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()
  const fleet = await mqttClient(gui)
  try {
    for (let i = 1; i <= 60; i++) await fleet.publishAsync(`/fleetkey/device${i}/attrs`, `t|${i}`, { qos: 1 })
    const tree = page.getByTestId('topic-tree')
    const branch = tree.getByRole('treeitem', { name: /^fleetkey,/ })
    await expect(branch).toHaveAccessibleName(/^fleetkey, 60 subtopics, messages: 60$/)
    await expect(branch).toHaveAttribute('aria-expanded', 'false')
    await expect(branch.getByTestId('tree-children')).toHaveText('60 subtopics')
    await expect(tree.getByRole('treeitem', { name: /^device\d+,/ })).toHaveCount(0)
    // Opened by the user, in natural order.
    await branch.click()
    await page.keyboard.press('ArrowRight')
    await expect(branch).toHaveAttribute('aria-expanded', 'true')
    const names = await tree.getByRole('treeitem', { name: /^device\d+,/ }).evaluateAll((items) => items.slice(0, 11).map((i) => i.getAttribute('aria-label')!.split(',')[0]))
    expect(names).toEqual(Array.from({ length: 11 }, (_, i) => `device${i + 1}`))

    // Scrolled away from the newest message: the button counts what arrives and brings the log back.
    const log = page.getByTestId('message-log')
    await expect(page.getByTestId('log-count')).toHaveText('60 of 60 messages')
    await expect(page.getByTestId('back-to-live')).toHaveCount(0)
    await log.evaluate((e) => (e.scrollTop = 0))
    const back = page.getByTestId('back-to-live')
    await expect(back).toHaveText('↓ Back to live')
    for (let i = 61; i <= 63; i++) await fleet.publishAsync(`/fleetkey/device${i}/attrs`, `t|${i}`, { qos: 1 })
    await expect(back).toHaveText('↓ 3 new messages · back to live')
    await expect(page.getByRole('status').filter({ hasText: 'The log is no longer following new messages.' })).toHaveCount(1)
    await back.focus()
    await page.keyboard.press('Enter')
    await expect(back).toHaveCount(0)
    await expect.poll(() => log.evaluate((e) => e.scrollTop + e.clientHeight >= e.scrollHeight - 42)).toBe(true)
    // Following again: a new message stays in view.
    await fleet.publishAsync('/fleetkey/device64/attrs', 't|64', { qos: 1 })
    await expect(page.getByTestId('message-row').filter({ hasText: 'device64' })).toBeVisible()
    await expect(back).toHaveCount(0)
    // Paused counts as away from live too; the button resumes.
    await page.keyboard.press('p')
    await expect(back).toBeVisible()
    await back.click()
    await expect(page.getByTestId('pause')).toHaveAttribute('aria-pressed', 'false')
  } finally {
    await fleet.endAsync()
  }
})

test('the last published payloads are remembered after a reload', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()
  for (const payload of ['first|1', 'second|2']) {
    await page.getByTestId('publish-topic').fill('lab/history')
    await page.getByTestId('publish-payload').fill(payload)
    await page.getByTestId('publish').click()
    await expect(page.getByTestId('publish-result')).toHaveText('Published on lab/history.')
  }
  await page.reload()
  await expect(page.getByTestId('stack-diagram')).toBeVisible()
  await page.getByTestId('nav-inspector').click()
  await expect(page.getByTestId('publish-topic')).toHaveValue('lab/history')
  await expect(page.getByTestId('publish-payload')).toHaveValue('second|2')
  const entries = page.getByTestId('history-entry')
  await expect(entries).toHaveCount(2)
  await expect(entries.first()).toContainText('second|2')
  await entries.nth(1).click()
  await expect(page.getByTestId('publish-payload')).toHaveValue('first|1')
})

test('the retained view, the back-to-live button and the publish history pass axe (WCAG 2.2 AA), light and dark', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-inspector').click()
  await page.getByTestId('publish-topic').fill('lab/axe')
  await page.getByTestId('publish-payload').fill('x|1')
  await page.getByTestId('publish-retain').check()
  await page.getByTestId('publish').click()
  await expect(page.getByTestId('history-entry')).toHaveCount(1)
  const problems: string[] = []
  const check = async (where: string): Promise<void> => {
    problems.push(...(await axeProblems(page, { where })))
  }
  for (const theme of ['light', 'dark'] as const) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByTestId('toggle-theme').click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    await page.getByTestId('tab-log').click()
    await page.getByTestId('pause').click()
    await expect(page.getByTestId('back-to-live')).toBeVisible()
    await check(`${theme} log away from live`)
    await page.getByTestId('back-to-live').click()
    await page.getByTestId('tab-retained').click()
    await expect(page.getByTestId('retained-topic')).toHaveText(['lab/axe'])
    await check(`${theme} retained`)
  }
  expect(problems, problems.join('\n')).toEqual([])
  // In a 1024 px window neither tab makes the page scroll sideways.
  await page.setViewportSize({ width: 1024, height: 768 })
  for (const tab of ['tab-retained', 'tab-log']) {
    await page.getByTestId(tab).click()
    const [scroll, client] = await page.evaluate<[number, number]>("[document.querySelector('.view').scrollWidth, document.querySelector('.view').clientWidth]")
    expect(scroll, tab).toBeLessThanOrEqual(client)
  }
})
