/** Portuguese and English at run time: the visible labels follow the choice (menu and shortcut). */
import { expect, openGui, test } from './gui-fixture'

test('switching to Portuguese and back changes the visible labels', async ({ page, gui }) => {
  await openGui(page, gui)
  await expect(page.getByTestId('nav-overview')).toContainText('Overview')
  await expect(page.locator('#view-title')).toHaveText('Overview')

  await page.getByTestId('language').selectOption('pt-BR')
  await expect(page.getByTestId('nav-overview')).toContainText('Visão geral')
  await expect(page.getByTestId('nav-inspector')).toContainText('Inspetor de tópicos')
  await expect(page.locator('#view-title')).toHaveText('Visão geral')
  await expect(page.getByTestId('next-hint')).toContainText('Criar um grupo de serviço')
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR')
  await page.getByTestId('nav-provisioning').click()
  await expect(page.getByTestId('new-item')).toHaveText('Novo grupo de serviço')

  // The choice survives a reload.
  await page.reload()
  await expect(page.getByTestId('nav-overview')).toContainText('Visão geral')

  // Shift+L switches back to English.
  await page.locator('body').press('Shift+L')
  await expect(page.getByTestId('nav-overview')).toContainText('Overview')
  await expect(page.locator('#view-title')).toHaveText('Overview')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')

  // The help dialog lists the shortcuts.
  await page.locator('body').press('?')
  await expect(page.getByTestId('shortcuts')).toContainText('Pause or resume the message log')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('shortcuts')).toHaveCount(0)
})

test("numbers and sizes follow the chosen language, not the browser's", async ({ page, gui }) => {
  // The browser speaks en-US (playwright.config.ts); the GUI is switched to Portuguese.
  await gui.publish('ul/demo/dev1/attrs', 'x'.repeat(1536))
  await openGui(page, gui)
  await page.getByTestId('language').selectOption('pt-BR')
  await page.getByTestId('nav-inspector').click()
  await page.getByTestId('message-row').filter({ hasText: 'ul/demo/dev1/attrs' }).click()
  await expect(page.getByTestId('message-detail')).toContainText('1,5 KiB')
  await page.getByTestId('language').selectOption('en')
  await expect(page.getByTestId('message-detail')).toContainText('1.5 KiB')
})

test('without its token the page says how to get in, in plain words', async ({ page, gui }) => {
  await page.goto(new URL(gui.url).origin + '/')
  await expect(page.getByTestId('connection-banner')).toContainText('The engine refused this page')
  await expect(page.getByTestId('connection-banner')).toContainText('Open the address the engine printed')
})
