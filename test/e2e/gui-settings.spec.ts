/**
 * Settings that need a new engine apply without restarting the program: the GUI switches the
 * agent to an external MQTT broker (Debian's Mosquitto, started here), restarts the engine from
 * the settings page, and a device publishing to Mosquitto is then seen by the agent.
 */
import { connectAsync } from 'mqtt'
import { freePort, MOSQUITTO, startMosquitto } from '../helpers/mosquitto'
import { startRecordingOrion } from '../helpers/recording-orion'
import { axeProblems } from './gui-checks'
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
    await expect(page.getByTestId('settings-pending')).toContainText('MQTT broker: external (now built in)')

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
    // Up, and since when: the time the engine's client connected.
    await expect(page.getByTestId('broker-state-since')).toContainText('since')
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

test.describe('em português', () => {
  test.use({ locale: 'pt-BR' })

  test('testa o broker e o Orion externos com os valores do formulário, e salva a provider URL com avisos traduzidos', async ({ page, gui }) => {
    const [mosquitto, orion, closedPort] = await Promise.all([startMosquitto(), startRecordingOrion(), freePort()])
    try {
      await openGui(page, gui)
      await page.getByTestId('nav-settings').click()
      await page.getByTestId('mqtt-external').check()
      const url = page.getByPlaceholder('mqtts://broker.example.org:8883')
      const mqttTest = page.getByRole('button', { name: 'Testar conexão com o broker MQTT' })
      const mqttResult = page.getByTestId('mqtt-test-result')
      await expect(mqttResult).toHaveAttribute('role', 'status')

      // Nothing listens there: the refusal in words, the raw cause below.
      await url.fill(`mqtt://127.0.0.1:${closedPort}`)
      await mqttTest.click()
      await expect(mqttResult).toContainText('Recusado: nada escuta nessa porta.')
      await expect(mqttResult).toContainText('ECONNREFUSED')
      await expect(mqttResult).toHaveAttribute('data-ok', 'false')

      // Another value: the old result goes, and the running Mosquitto answers.
      await url.fill(mosquitto.url)
      await expect(mqttResult).toBeEmpty()
      await mqttTest.click()
      await expect(mqttResult).toContainText(/Conectado em (<1|\d+) ms · o broker aceitou a conexão/)
      await expect(mqttResult).toHaveAttribute('data-ok', 'true')
      // The test is not a save: the engine still uses its own broker.
      await expect(page.getByTestId('settings-pending')).toHaveCount(0)

      await page.getByTestId('mqtt-cert-file').fill('/etc/ssl/client.pem')
      await expect(page.getByText('O certificado do cliente e a chave andam juntos: informe os dois arquivos, ou nenhum.')).toBeVisible()
      await expect(page.getByTestId('settings-save')).toBeDisabled()
      await page.getByTestId('mqtt-cert-file').fill('')

      await page.getByTestId('cb-external').check()
      await page.getByPlaceholder('http://orion:1026').fill(orion.url)
      const cbResult = page.getByTestId('cb-test-result')
      await page.getByRole('button', { name: 'Testar conexão com o Orion' }).click()
      await expect(cbResult).toContainText(/Conectado em (<1|\d+) ms · Orion 4\.1\.0/)
      expect(orion.of('GET', '/version').length).toBeGreaterThan(0)

      expect(await axeProblems(page, { include: 'main' })).toEqual([])

      // The provider URL is checked, saved, and waits for a restart: every notice in Portuguese.
      const provider = page.getByTestId('provider-url')
      await provider.fill('127.0.0.1:4041')
      await expect(page.getByText('Escreva o endereço do agente como http://host:porta, ou deixe vazio.')).toBeVisible()
      await provider.fill('http://127.0.0.1:4041')
      await page.getByTestId('settings-save').click()
      await expect(page.getByText('Configurações salvas.')).toBeVisible()
      const pending = page.getByTestId('settings-pending')
      await expect(pending).toContainText('Provider URL do agente: http://127.0.0.1:4041 (agora não definido)')
      await expect(pending).toContainText('Broker MQTT: externo (agora embutido)')
      await expect(pending).toContainText(`URL do broker: ${mosquitto.url} (agora não definido)`)
      await expect(page.getByTestId('settings-outcome')).toContainText('Salvo; vale quando o motor reiniciar:')
      await expect(page.locator('main')).not.toContainText('is saved and takes effect')
      await expect(page.locator('main')).not.toContainText('iota.providerUrl')

      // Saved: the page shows it again after a reload.
      await page.reload()
      await page.getByTestId('nav-settings').click()
      await expect(page.getByTestId('provider-url')).toHaveValue('http://127.0.0.1:4041')
      await expect(page.getByTestId('settings-pending')).toContainText('Provider URL do agente: http://127.0.0.1:4041 (agora não definido)')
    } finally {
      await Promise.all([mosquitto.stop(), orion.close()])
    }
  })

  test('o histórico: dias e pontos guardados, conferidos, salvos e aplicados ao reiniciar', async ({ page, gui }) => {
    await openGui(page, gui)
    await page.getByTestId('nav-settings').click()
    const card = page.getByTestId('settings-history')
    await expect(card.getByRole('heading', { name: 'Histórico' })).toBeVisible()
    await expect(card).toContainText('os pontos mais antigos saem primeiro')
    const days = page.getByLabel('Guardar pontos por (dias)')
    const points = page.getByLabel('Máximo de pontos guardados')
    await expect(days).toHaveValue('30')
    await expect(points).toHaveValue('1000000')

    await days.fill('0')
    await points.fill('999')
    await expect(card.getByText('Informe o número de dias, um inteiro de 1 a 3650.')).toBeVisible()
    await expect(card.getByText('Informe o número de pontos, um inteiro de 1000 a 20000000.')).toBeVisible()
    await expect(days).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByTestId('settings-save')).toBeDisabled()
    expect(await axeProblems(page, { include: 'main' })).toEqual([])

    await days.fill('90')
    await points.fill('5000')
    await expect(days).toHaveAttribute('aria-invalid', 'false')
    await page.getByTestId('settings-save').click()
    await expect(page.getByText('Configurações salvas.')).toBeVisible()
    const pending = page.getByTestId('settings-pending')
    await expect(pending).toContainText('Histórico guardado (dias): 90 (agora 30)')
    await expect(pending).toContainText('Máximo de pontos no histórico: 5000 (agora 1000000)')

    await page.getByTestId('engine-restart').click()
    await expect(page.getByText('Motor reiniciado com as configurações salvas.')).toBeVisible()
    await expect(page.getByTestId('engine-restart')).toHaveCount(0)
    await page.reload()
    await page.getByTestId('nav-settings').click()
    await expect(page.getByLabel('Guardar pontos por (dias)')).toHaveValue('90')
    await expect(page.getByLabel('Máximo de pontos guardados')).toHaveValue('5000')
    await expect(page.getByTestId('settings-pending')).toHaveCount(0)
  })

  test('um reinício que falha diz por quê, em português, com a causa do motor', async ({ page, gui }) => {
    const closedPort = await freePort()
    await openGui(page, gui)
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('mqtt-external').check()
    await page.getByPlaceholder('mqtts://broker.example.org:8883').fill(`mqtt://127.0.0.1:${closedPort}`)
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-pending')).toContainText('Broker MQTT: externo (agora embutido)')
    await page.getByTestId('engine-restart').click()
    const failed = page.getByTestId('restart-failed')
    await expect(failed).toContainText('As configurações salvas não conseguiram iniciar o motor, que voltou a rodar com as anteriores. Causa:')
    await expect(failed.locator('code')).toContainText(`127.0.0.1:${closedPort}`)
    await expect(page.getByTestId('toast').filter({ hasText: 'As configurações salvas não conseguiram iniciar o motor; ele voltou a rodar com as anteriores.' })).toBeVisible()
  })
})
