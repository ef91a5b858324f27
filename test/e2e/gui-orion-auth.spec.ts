/**
 * The external Orion's authentication on the settings page, in Portuguese: "Test connection" says
 * who refused what (the token service, Orion's PEP proxy), a saved token is never shown again and
 * an empty field keeps it. A PEP proxy with Orion behind it and Keystone are stand-ins on ephemeral
 * ports (test/helpers/auth-doubles.ts).
 */
import { startKeystone, startPepOrion } from '../helpers/auth-doubles'
import { axeProblems } from './gui-checks'
import { expect, openGui, test } from './gui-fixture'

test.describe('autenticação no Orion externo', () => {
  test.use({ locale: 'pt-BR' })

  test('testa Keystone e token fixo com as palavras certas, e guarda o token sem mostrá-lo', async ({ page, gui }) => {
    const [orion, keystone] = await Promise.all([startPepOrion({ accepted: ['fixo-123'] }), startKeystone('iotagent', 'certa')])
    keystone.onIssue = (t) => orion.accepted.add(t)
    try {
      await openGui(page, gui)
      await page.getByTestId('nav-settings').click()
      await page.getByTestId('cb-external').check()
      await page.getByPlaceholder('http://orion:1026').fill(orion.url)
      const run = page.getByRole('button', { name: 'Testar conexão com o Orion' })
      const result = page.getByTestId('cb-test-result')

      // Without authentication the PEP proxy asks for a token.
      await run.click()
      await expect(result).toContainText('Recusado: o servidor exige autenticação (um token).')

      await page.getByLabel('Autenticação (proxy PEP na frente do Orion)').selectOption('keystone')
      await page.getByTestId('cb-auth-url').fill(keystone.url)
      await page.getByTestId('cb-auth-user').fill('iotagent')
      await page.getByTestId('cb-auth-password').fill('errada')
      await run.click()
      await expect(result).toContainText('O serviço de tokens recusou as credenciais')
      await expect(result).toContainText('HTTP 401')
      await expect(result).not.toContainText('errada')

      await page.getByTestId('cb-auth-password').fill('certa')
      await run.click()
      await expect(result).toContainText(/Conectado em (<1|\d+) ms · Orion 4\.1\.0/)
      expect(await axeProblems(page, { include: 'main' })).toEqual([])

      await page.getByLabel('Autenticação (proxy PEP na frente do Orion)').selectOption('token')
      await page.getByTestId('cb-auth-token').fill('outro')
      await run.click()
      await expect(result).toContainText('O Orion (ou o proxy PEP na frente dele) recusou o token')

      await page.getByTestId('cb-auth-token').fill('fixo-123')
      await page.getByTestId('settings-save').click()
      await expect(page.getByText('Configurações salvas.')).toBeVisible()

      // Saved, never sent back: the field is empty and says that leaving it so keeps the token.
      await page.reload()
      await page.getByTestId('nav-settings').click()
      const token = page.getByTestId('cb-auth-token')
      await expect(token).toHaveValue('')
      await expect(token).toHaveAttribute('placeholder', '(salvo; deixe vazio para mantê-lo)')
      await expect(page.locator('main')).not.toContainText('fixo-123')
      await page.getByRole('button', { name: 'Testar conexão com o Orion' }).click()
      await expect(page.getByTestId('cb-test-result')).toContainText(/Conectado em (<1|\d+) ms · Orion 4\.1\.0/)
      expect(orion.requests.at(-1)?.headers['x-auth-token']).toBe('fixo-123')
    } finally {
      await Promise.all([orion.close(), keystone.close()])
    }
  })
})
