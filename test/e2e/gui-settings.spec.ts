/**
 * Settings that need a new engine apply without restarting the program: the GUI switches the
 * agent to an external MQTT broker (Debian's Mosquitto, started here), restarts the engine from
 * the settings page, and a device publishing to Mosquitto is then seen by the agent.
 */
import { connectAsync } from 'mqtt'
import { MOSQUITTO, startMosquitto } from '../helpers/mosquitto'
import { expect, openGui, provisionTutorial, T7, test } from './gui-fixture'

test.skip(!MOSQUITTO && !process.env.CI, 'mosquitto is not installed (Debian: apt-get install mosquitto)')

test('switching to an external MQTT broker and restarting the engine from the settings page', async ({ page, gui }) => {
  const mosquitto = await startMosquitto()
  try {
    await provisionTutorial(gui)
    await openGui(page, gui)
    await expect(page.getByTestId('stack-diagram')).toContainText('built in')

    await page.getByTestId('nav-settings').click()
    await page.getByTestId('mqtt-external').check()
    await page.getByPlaceholder('mqtts://broker.example.org:8883').fill(mosquitto.url)
    await page.getByTestId('settings-save').click()
    await expect(page.getByText('mqtt.mode: "external" is saved and takes effect when the engine restarts (now "embedded")')).toBeVisible()

    await page.getByTestId('engine-restart').click()
    await expect(page.getByText('Engine restarted with the saved settings.')).toBeVisible()
    // Nothing is waiting any more: the restart applied it.
    await expect(page.getByTestId('engine-restart')).toHaveCount(0)

    await page.getByTestId('nav-overview').click()
    const diagram = page.getByTestId('stack-diagram')
    await expect(diagram).toContainText('external')
    // Measured: the engine's client is connected to Mosquitto.
    await expect(page.getByTestId('broker-state')).toHaveAttribute('data-state', 'connected')
    await expect(page.getByTestId('broker-state')).toHaveText('✓ connected')
    await expect(diagram).toContainText(`127.0.0.1:${mosquitto.port}`)

    // The tutorial's device, now publishing to Mosquitto: the agent (same data, same group) takes the measure.
    const device = await connectAsync(mosquitto.url, { reconnectPeriod: 0 })
    try {
      await device.publishAsync(`ul/${T7.apikey}/device001/attrs`, 't|25.5|rh|50')
    } finally {
      await device.endAsync()
    }
    await expect(page.getByTestId('measures-count')).toContainText(/^1 ·/)
  } finally {
    await mosquitto.stop()
  }
})
