/**
 * A client the embedded broker refuses before authentication (an MQTT version it does not serve)
 * is shown in the overview's MQTT broker box with its reason, not only written to the log.
 */
import { createConnection } from 'node:net'
import { expect, openGui, test } from './gui-fixture'

/** Sends raw bytes to the broker and resolves when it closes the connection. */
function sendRaw(mqttUrl: string, bytes: number[]): Promise<void> {
  const { hostname, port } = new URL(mqttUrl)
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () => socket.write(Buffer.from(bytes)))
    socket.on('error', () => resolve())
    socket.on('close', () => resolve())
  })
}

test('a CONNECT with an MQTT version the broker does not serve is counted with its reason in the broker box', async ({ page, gui }) => {
  await openGui(page, gui)
  const box = page.getByTestId('node-broker')
  await expect(page.getByTestId('broker-state')).toHaveAttribute('data-state', 'listening')
  await expect(page.getByTestId('refused-connects')).toHaveCount(0)
  // CONNECT, protocol name "MQTT", level 6 (no such version), clean session, keep-alive 60, client id "x".
  await sendRaw(gui.mqttUrl, [0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 6, 0x02, 0, 60, 0, 1, 0x78])
  await expect(page.getByTestId('refused-connects')).toHaveText('1 (1 with an MQTT version this broker does not serve: it serves 3.1, 3.1.1 and 5)')
  await expect(box).toContainText('Refused connections')
})
