/**
 * The seed tutorial in Portuguese, as most of its trainees read it: the browser (standing for the
 * operating system) says pt-BR, so the GUI starts in Portuguese without being asked, and every
 * step of the tutorial works with the Portuguese labels and messages.
 */
import { expect, openGui, test } from './gui-fixture'
import { doSeedTutorial } from './seed-tutorial'

test.use({ locale: 'pt-BR' })

test('uma pessoa faz o tutorial inteiro na interface, em português', async ({ page, gui }) => {
  await openGui(page, gui)
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR')
  await expect(page.getByTestId('language')).toHaveValue('system')
  await expect(page.getByTestId('nav-provisioning')).toContainText('Grupos e dispositivos')
  await expect(page.getByTestId('nav-simulator')).toContainText('Simulador')

  await doSeedTutorial(page, {
    nextHint: 'Criar um grupo de serviço',
    apikeyProblem: 'Informe uma chave de API',
    allDone: 'O tutorial inteiro funciona.'
  })

  // The command's round trip is told in Portuguese too.
  await page.getByTestId('nav-device').click()
  await expect(page.getByTestId('commands')).toContainText('respondido em')
})
