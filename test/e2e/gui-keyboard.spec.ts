/**
 * The seed tutorial with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows; no pointer):
 * skip link, the service group from the preset, device001, the simulated device, the `switch`
 * command with its OK. Every control reached shows where the focus is.
 */
import type { Page } from '@playwright/test'
import { expect, openGui, T7, test } from './gui-fixture'

/** The focused element matches `selector`, has :focus-visible and draws a visible ring. */
async function focusState(page: Page, selector: string): Promise<{ matches: boolean; visible: boolean; ring: string }> {
  // A string: the tests are compiled without the DOM library.
  return page.evaluate<{ matches: boolean; visible: boolean; ring: string }>(`(() => {
    const el = document.activeElement
    if (!el || el === document.body) return { matches: false, visible: false, ring: 'nothing focused' }
    const style = getComputedStyle(el)
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    const shadow = style.boxShadow !== 'none'
    return {
      matches: el.matches(${JSON.stringify(selector)}),
      visible: el.matches(':focus-visible') && (outline || shadow),
      ring: el.outerHTML.slice(0, 120) + ' outline=' + style.outlineStyle + ' ' + style.outlineWidth + ' box-shadow=' + style.boxShadow
    }
  })()`)
}

/** Presses Tab (or Shift+Tab) until the focus is on `selector`; checks that the focus shows. */
async function tabTo(page: Page, selector: string, { back = false, max = 60 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
    const state = await focusState(page, selector)
    if (state.matches) {
      expect(state.visible, `focus ring on ${selector}: ${state.ring}`).toBe(true)
      return
    }
  }
  throw new Error(`${selector} not reached with ${max} × ${back ? 'Shift+Tab' : 'Tab'}`)
}

const id = (testid: string): string => `[data-testid="${testid}"]`

test('the seed tutorial with the keyboard alone', async ({ page, gui }) => {
  await openGui(page, gui)

  // The first Tab lands on the skip link, shown; Enter goes to the main content.
  await page.keyboard.press('Tab')
  const skip = page.getByTestId('skip-link')
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  expect((await focusState(page, id('skip-link'))).visible).toBe(true)
  await page.keyboard.press('Enter')
  await expect(page.locator('main#main-content')).toBeFocused()

  // 1. The overview's hint opens the group form filled from the preset; Enter on "Create" saves it.
  await tabTo(page, `${id('next-hint')} button`)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('group-apikey')).toHaveValue(T7.apikey)
  await tabTo(page, id('group-save'))
  await page.keyboard.press('Enter')
  await expect(page.getByTestId(`group-row-${T7.apikey}`)).toBeVisible()
  // The form closes and the focus goes on (to the button for the next item), never back to the page's start.
  await expect(page.getByTestId('new-item')).toBeFocused()

  // 2. device001: from the groups tab, the arrow key shows the devices tab; its preset is the collection's body.
  await tabTo(page, id('tab-groups'), { back: true })
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('tab-devices')).toBeFocused()
  await expect(page.getByTestId('tab-devices')).toHaveAttribute('aria-selected', 'true')
  await tabTo(page, id('new-item'))
  await page.keyboard.press('Enter')
  await tabTo(page, id('device-preset'))
  await page.keyboard.press('Space')
  expect(JSON.parse((await page.getByTestId('preview-json').textContent()) ?? '{}')).toEqual(T7.device)
  await tabTo(page, id('device-save'))
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('device-row-device001')).toBeVisible()
  await expect(page.getByTestId('new-item')).toBeFocused()

  // 3. The simulated device001, from the sidebar: a faster interval typed in, then Space on "Start".
  await tabTo(page, id('nav-simulator'), { back: true })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('nav-simulator')).toHaveAttribute('aria-current', 'page')
  await tabTo(page, id('seed-interval'))
  await expect(page.getByTestId('seed-apikey')).toHaveValue(T7.apikey)
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('0.5')
  await expect(page.getByTestId('seed-interval')).toHaveValue('0.5')
  await tabTo(page, id('seed-toggle'))
  await page.keyboard.press('Space')
  await expect(page.getByTestId('seed-running')).toBeVisible()

  // 4. switch 1 from the device page: PENDING, then OK with the device's answer.
  await tabTo(page, id('nav-device'), { back: true })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('device-entity-id')).toHaveText('urn:ngsi-ld:Device:001')
  await tabTo(page, id('cmd-value-switch'))
  await page.keyboard.type('1')
  await tabTo(page, id('cmd-send-switch'), { back: true })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('cmd-status-switch')).toHaveText('OK')
  await expect(page.getByTestId('cmd-info-switch')).toContainText('Started sending data')
})

test('the topic tree follows the ARIA tree pattern with the arrow keys', async ({ page, gui }) => {
  await gui.publish(`ul/${T7.apikey}/device001/attrs`, 't|21')
  await openGui(page, gui)
  await page.keyboard.press('4')
  const tree = page.getByRole('tree', { name: 'Topics' })
  await expect(tree).toBeVisible()
  await expect(tree.getByRole('treeitem')).toHaveCount(3)
  await tabTo(page, '[role="tree"]')

  // Down to the first item ("ul", open, level 1), then Right goes to its first child.
  const active = async (): Promise<{ level: string | null; expanded: string | null; name: string }> => {
    const item = page.locator(`#${(await tree.getAttribute('aria-activedescendant')) ?? 'none'}`)
    return { level: await item.getAttribute('aria-level'), expanded: await item.getAttribute('aria-expanded'), name: (await item.textContent()) ?? '' }
  }
  await page.keyboard.press('ArrowDown')
  expect(await active()).toMatchObject({ level: '1', expanded: 'true' })
  expect((await active()).name).toContain('ul')
  await page.keyboard.press('ArrowRight')
  expect(await active()).toMatchObject({ level: '2', expanded: 'true' })
  expect((await active()).name).toContain(T7.apikey)

  // Left closes the open node; Left again goes to its parent; Right opens and Right enters.
  await page.keyboard.press('ArrowLeft')
  await expect(tree.getByRole('treeitem')).toHaveCount(2)
  expect(await active()).toMatchObject({ level: '2', expanded: 'false' })
  await page.keyboard.press('ArrowLeft')
  expect(await active()).toMatchObject({ level: '1', expanded: 'true' })
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(tree.getByRole('treeitem')).toHaveCount(3)
  expect(await active()).toMatchObject({ level: '2', expanded: 'true' })
})
