/**
 * The built-in broker's users and ACL on the settings page, in Portuguese: the first user creates
 * the password file in the data folder (used after a restart), the ACL editor shows the line of
 * each problem and saves only a valid text, deleting asks first; axe finds nothing.
 */
import { axeProblems } from './gui-checks'
import { expect, openGui, test } from './gui-fixture'

test.describe('usuários e ACL do broker embutido', () => {
  test.use({ locale: 'pt-BR' })

  test('adiciona um usuário, troca a ACL com erro apontado na linha e exclui com confirmação', async ({ page, gui }) => {
    await openGui(page, gui)
    await page.getByTestId('nav-settings').click()
    const section = page.getByTestId('mqtt-users')
    await expect(section.getByRole('heading', { name: 'Usuários e ACL do MQTT (broker embutido)' })).toBeVisible()
    await expect(section.getByTestId('mqtt-no-users')).toHaveText('Nenhum usuário.')
    await expect(section.getByTestId('mqtt-auth-status')).toContainText('permitidos')

    // A user name the file cannot hold is refused before it is sent.
    await section.getByLabel('Nome de usuário').fill('sensor:01')
    await expect(section.getByText('O nome de usuário não pode conter ":".')).toBeVisible()
    await expect(section.getByTestId('mqtt-user-save')).toBeDisabled()

    await section.getByLabel('Nome de usuário').fill('sensor01')
    await section.getByLabel('Senha', { exact: true }).fill('segredo 1')
    await section.getByRole('button', { name: 'Adicionar usuário' }).click()
    await expect(page.getByText('Usuário sensor01 adicionado.')).toBeVisible()
    await expect(section.getByTestId('mqtt-user-list')).toContainText('sensor01')
    await expect(section.getByTestId('mqtt-auth-restart')).toBeVisible()
    // The settings page lists the new file among the values waiting for a restart.
    await expect(page.getByTestId('settings-pending')).toBeVisible()

    // The ACL: an unknown access word is shown with its line, and the text cannot be saved.
    const acl = section.getByLabel('Linhas da ACL, no formato do Mosquitto')
    await acl.fill('user sensor01\ntopic talvez /ul/#\n')
    await expect(section.getByTestId('mqtt-acl-problems')).toContainText('Linha 2:')
    await expect(section.getByTestId('mqtt-acl-problems')).toContainText('invalid access "talvez"')
    await expect(acl).toHaveAttribute('aria-invalid', 'true')
    await expect(section.getByTestId('mqtt-acl-save')).toBeDisabled()
    expect(await axeProblems(page, { include: 'main' })).toEqual([])

    await acl.fill('user sensor01\ntopic write /ul/#\n')
    await expect(section.getByTestId('mqtt-acl-problems')).toHaveCount(0)
    await section.getByRole('button', { name: 'Salvar ACL' }).click()
    await expect(page.getByText('ACL salva.')).toBeVisible()

    // After the restart the broker uses both files: anonymous clients are refused now.
    await page.getByTestId('engine-restart').click()
    await expect(page.getByText('Motor reiniciado', { exact: false })).toBeVisible()
    await expect(section.getByTestId('mqtt-auth-status')).toContainText('recusados')
    await expect(section.getByTestId('mqtt-auth-status')).toContainText('mosquitto/passwd')
    await expect(section.getByTestId('mqtt-auth-restart')).toHaveCount(0)

    // Deleting asks first (Cancel keeps the user), with the keyboard.
    await section.getByRole('button', { name: 'Excluir o usuário sensor01' }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog).toContainText('Excluir sensor01?')
    await page.keyboard.press('Escape')
    await expect(section.getByTestId('mqtt-user-list')).toContainText('sensor01')
    await section.getByRole('button', { name: 'Excluir o usuário sensor01' }).click()
    await page.getByRole('dialog').getByTestId('confirm').click()
    await expect(page.getByText('Usuário sensor01 excluído.')).toBeVisible()
    await expect(section.getByTestId('mqtt-no-users')).toBeVisible()
    expect(await axeProblems(page, { include: 'main' })).toEqual([])
  })
})
