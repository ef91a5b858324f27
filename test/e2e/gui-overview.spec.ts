/**
 * The overview's stack diagram shows each component's state as the engine measured it: an
 * embedded stack listens and runs; an external Orion nobody answers for is shown unreachable (with
 * its error and since when), never as running.
 */
import { freePort } from '../helpers/free-port'
import { expect, openGui, test } from './gui-fixture'

test('the diagram shows the measured state of each component, in words and not only in colour', async ({ page, gui }) => {
  await openGui(page, gui)
  const broker = page.getByTestId('broker-state')
  const agent = page.getByTestId('agent-state')
  const cb = page.getByTestId('cb-state')
  await expect(broker).toHaveAttribute('data-state', 'listening')
  await expect(broker).toHaveText('✓ listening')
  await expect(broker).toHaveAttribute('aria-label', 'MQTT broker: listening')
  await expect(agent).toHaveAttribute('data-state', 'listening')
  await expect(cb).toHaveAttribute('data-state', 'running')
  await expect(cb).toHaveText('✓ running')

  // An external Orion on a port nobody listens on: chosen and applied from the settings page.
  const port = await freePort()
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('cb-external').check()
  await page.getByPlaceholder('http://orion:1026').fill(`http://127.0.0.1:${port}`)
  await page.getByTestId('settings-save').click()
  await page.getByTestId('engine-restart').click()
  await expect(page.getByText('Engine restarted with the saved settings.')).toBeVisible()

  await page.getByTestId('nav-overview').click()
  await expect(cb).toHaveAttribute('data-state', 'unreachable')
  await expect(cb).toHaveText('✕ unreachable')
  await expect(cb).toHaveAttribute('aria-label', 'Context broker (NGSI-v2): unreachable')
  await expect(page.getByTestId('node-context-broker')).toContainText('since')
  await expect(page.getByTestId('cb-state-error')).toContainText(`127.0.0.1:${port}`)
  await expect(page.getByTestId('node-context-broker')).not.toContainText('running')
  // The rest of the stack is still measured up.
  await expect(broker).toHaveAttribute('data-state', 'listening')
  await expect(agent).toHaveAttribute('data-state', 'listening')
})
