/**
 * The settings page edits the HTTP guards (further allowed Host names, the NGSI port's CORS origin):
 * checked as typed, saved in settings.json, waiting for a restart; in Portuguese too, accessible.
 */
import { axeProblems } from './gui-checks'
import { expect, openGui, test } from './gui-fixture'

test('allowed host names and the CORS origin are checked, saved and wait for a restart', async ({ page, gui }) => {
  await openGui(page, gui)
  await page.getByTestId('nav-settings').click()
  const hosts = page.getByTestId('settings-allowed-hosts')
  const origin = page.getByTestId('settings-cors-origin')
  await expect(hosts).toHaveValue('')
  await expect(origin).toHaveValue('')
  await expect(page.getByRole('textbox', { name: /Also answer to these host names/ })).toBeVisible()

  await hosts.fill('http://ulcc.test')
  await expect(page.getByText('Give names or addresses only, without http:// or port, for example iot.school.lan.')).toBeVisible()
  await expect(page.getByTestId('settings-save')).toBeDisabled()
  await hosts.fill('ulcc.test, 10.0.0.7')
  await origin.fill('http://localhost:3000/app')
  await expect(page.getByText('Give __ALL or one origin such as http://localhost:3000 (no path), or leave it empty.')).toBeVisible()
  await origin.fill('__ALL')
  await page.getByTestId('settings-save').click()
  const pending = page.getByTestId('settings-pending')
  await expect(pending).toContainText('Further allowed host names: ulcc.test, 10.0.0.7')
  await expect(pending).toContainText('CORS origin of the context broker: __ALL')

  await page.reload()
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('settings-allowed-hosts')).toHaveValue('ulcc.test, 10.0.0.7')
  await expect(page.getByTestId('settings-cors-origin')).toHaveValue('__ALL')
})

test.describe('em português', () => {
  test.use({ locale: 'pt-BR' })

  test('os campos têm nomes e dicas em português, sem problemas de acessibilidade', async ({ page, gui }) => {
    await openGui(page, gui)
    await page.getByTestId('nav-settings').click()
    await expect(page.getByRole('textbox', { name: /Atender também por estes nomes de host/ })).toBeVisible()
    await expect(page.getByRole('textbox', { name: /CORS no context broker/ })).toBeVisible()
    await page.getByTestId('settings-cors-origin').fill('localhost:3000')
    await expect(page.getByText('Informe __ALL ou uma origem como http://localhost:3000 (sem caminho), ou deixe vazio.')).toBeVisible()
    expect(await axeProblems(page, { include: 'main' })).toEqual([])
  })
})
