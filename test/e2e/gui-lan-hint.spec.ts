/**
 * The settings page's hint for a real device on the LAN (docs/tutorial-9.md): typing an address
 * beyond this computer shows, below the exposure warning, the ports a device needs open in the
 * firewall — those the running engine listens on, not the defaults — and where the MQTT
 * authentication defaults are explained; axe stays clean with it shown, in both languages.
 */
import { axeProblems } from './gui-checks'
import { expect, openGui, test } from './gui-fixture'

for (const [locale, firewall, auth] of [
  ['en', 'Firewall', 'anonymous clients are refused'],
  ['pt-BR', 'Firewall', 'clientes anônimos são recusados']
] as const) {
  test.describe(locale, () => {
    test.use({ locale })

    test(`the firewall hint names the running ports (${locale})`, async ({ page, gui }) => {
      await openGui(page, gui)
      await page.getByTestId('nav-settings').click()
      await expect(page.getByTestId('firewall-hint')).toHaveCount(0)
      await page.getByTestId('settings-hosts').fill('0.0.0.0')
      const hint = page.getByTestId('firewall-hint')
      await expect(hint).toContainText(firewall)
      // The engine under test listens on ephemeral ports: the hint names them, never 1883 or 7896.
      const text = (await hint.textContent()) ?? ''
      const ports = [...text.matchAll(/(\d+) \(/g)].map((m) => Number(m[1]))
      expect(ports.length).toBeGreaterThanOrEqual(2)
      expect(ports).not.toContain(1883)
      expect(ports).not.toContain(7896)
      await expect(page.getByTestId('mqtt-auth-hint')).toContainText(auth)
      expect(await axeProblems(page, { where: `settings with the LAN hint (${locale})` })).toEqual([])
    })
  })
}
