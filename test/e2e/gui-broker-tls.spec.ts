/**
 * The built-in broker's TLS listener, set up from the settings page: the form explains what is
 * missing (certificate and key, the CA of a required client certificate), saves the listener for
 * the next start, and after a restart from the page a device connects over mqtts with the
 * authority's certificate and its measure reaches the agent. Certificates are made with openssl.
 */
import { readFileSync } from 'node:fs'
import { connectAsync } from 'mqtt'
import { OPENSSL } from '../helpers/mosquitto'
import { makePki, type TestPki } from '../helpers/mosquitto-secure'
import { axeProblems } from './gui-checks'
import { expect, openGui, provisionTutorial, T7, test } from './gui-fixture'

test.skip(!OPENSSL && !process.env.CI, 'openssl is not installed (Debian: apt-get install openssl)')

let pki: TestPki
test.beforeAll(() => {
  pki = makePki()
})
test.afterAll(() => pki.cleanup())

test('turning on the mqtts listener from the settings page; a device then publishes over TLS', async ({ page, gui }) => {
  test.setTimeout(90_000)
  await provisionTutorial(gui)
  await openGui(page, gui)
  await page.getByTestId('nav-settings').click()

  const tls = page.getByTestId('mqtt-tls')
  await expect(tls.getByRole('heading', { name: 'TLS listeners of the built-in broker' })).toBeVisible()
  const save = page.getByTestId('settings-save')

  // A port without certificate and key: both fields say why, and nothing can be saved.
  await tls.getByLabel('MQTT over TLS port (mqtts)').fill('0')
  await expect(tls.getByText('A TLS port needs both the certificate and the key file.')).toHaveCount(2)
  await expect(tls.getByLabel('Broker certificate file (PEM)')).toHaveAttribute('aria-invalid', 'true')
  await expect(save).toBeDisabled()
  await tls.getByLabel('Broker certificate file (PEM)').fill(pki.serverCert)
  await tls.getByLabel('Broker private key file (PEM)').fill(pki.serverKey)
  await expect(tls.getByText('A TLS port needs both the certificate and the key file.')).toHaveCount(0)

  // A required client certificate needs the authority that signs them.
  await tls.getByLabel('Require a client certificate').check()
  await expect(tls.getByText('To require client certificates, give the CA file that signs them.')).toBeVisible()
  await expect(save).toBeDisabled()
  expect(await axeProblems(page, { include: 'main' })).toEqual([])
  await tls.getByLabel('Require a client certificate').uncheck()

  // The keyboard goes through the section in reading order.
  await tls.getByLabel('MQTT over TLS port (mqtts)').focus()
  for (const next of ['Secure WebSocket port (wss)', 'Broker certificate file (PEM)', 'Broker private key file (PEM)', 'CA file of client certificates (PEM)', 'Require a client certificate']) {
    await page.keyboard.press('Tab')
    await expect(tls.getByLabel(next)).toBeFocused()
  }

  await page.getByLabel('CORS preflight cache (seconds)').fill('600')
  await save.click()
  await expect(page.getByText('Settings saved.')).toBeVisible()
  const pending = page.getByTestId('settings-pending')
  await expect(pending).toContainText('Broker MQTT over TLS port (mqtts): 0 (now not set)')
  await expect(pending).toContainText(`Broker TLS certificate (PEM): ${pki.serverCert} (now not set)`)
  await expect(pending).toContainText('CORS preflight cache time: 600 (now 86400)')
  await expect(pending).not.toContainText('MQTT broker:')

  await page.getByTestId('engine-restart').click()
  await expect(page.getByText('Engine restarted with the saved settings.')).toBeVisible()
  await expect(page.getByTestId('engine-restart')).toHaveCount(0)
  // Saved and in force: the form shows the values again.
  await expect(tls.getByLabel('MQTT over TLS port (mqtts)')).toHaveValue('0')
  await expect(tls.getByLabel('Broker certificate file (PEM)')).toHaveValue(pki.serverCert)
  await expect(page.getByLabel('CORS preflight cache (seconds)')).toHaveValue('600')

  // The overview lists the listener; a device trusting the authority publishes over it.
  await page.getByTestId('nav-overview').click()
  const row = page.getByTestId('endpoints').getByRole('row').filter({ hasText: 'MQTT broker (TLS)' })
  await expect(row).toContainText(/mqtts:\/\/localhost:\d+/)
  const port = Number((await row.textContent())?.match(/mqtts:\/\/localhost:(\d+)/)?.[1])
  const device = await connectAsync(`mqtts://127.0.0.1:${port}`, { ca: readFileSync(pki.caFile), reconnectPeriod: 0, connectTimeout: 5000 })
  try {
    await device.publishAsync(`ul/${T7.apikey}/device001/attrs`, 't|26.5|rh|48')
  } finally {
    await device.endAsync()
  }
  await expect(page.getByTestId('measures-count')).toContainText(/^1 ·/)
})

test.describe('em português', () => {
  test.use({ locale: 'pt-BR' })

  test('a seção TLS e a porta do agente UltraLight em português', async ({ page, gui }) => {
    await openGui(page, gui)
    await page.getByTestId('nav-settings').click()
    const tls = page.getByTestId('mqtt-tls')
    await expect(tls.getByRole('heading', { name: 'Listeners TLS do broker embutido' })).toBeVisible()
    await tls.getByLabel('Porta WebSocket seguro (wss)').fill('70000')
    await expect(tls.getByText('Uma porta é um inteiro de 0 a 65535 (0 escolhe uma livre); deixe vazio para desligar o listener.')).toBeVisible()
    await expect(tls.getByText('Uma porta TLS precisa dos dois arquivos: o certificado e a chave.')).toHaveCount(2)
    await expect(page.getByTestId('settings-save')).toBeDisabled()
    await tls.getByLabel('Porta WebSocket seguro (wss)').fill('')
    await expect(tls.getByText('Uma porta TLS precisa dos dois arquivos: o certificado e a chave.')).toHaveCount(0)
    await expect(page.getByLabel('API do Agente IoT UltraLight', { exact: true })).toBeVisible()
    await expect(page.getByLabel('API do Agente IoT JSON', { exact: true })).toBeVisible()
    await expect(page.getByLabel('Cache do preflight CORS (segundos)')).toHaveValue('86400')
    // An external broker hides the section: its fields belong to the built-in broker only.
    await page.getByTestId('mqtt-external').check()
    await expect(page.getByTestId('mqtt-tls')).toHaveCount(0)
  })
})
