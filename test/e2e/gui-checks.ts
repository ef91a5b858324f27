/**
 * Checks the GUI specs share: axe's WCAG 2.2 AA audit (serious and critical problems only, as the
 * project requires) and the pictures the README uses.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/**
 * Serious or critical WCAG 2.2 AA problems on the page (or inside `include`), one line each with
 * the elements concerned and why; `where` prefixes each line.
 */
export async function axeProblems(page: Page, opts: { where?: string; include?: string } = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS)
  if (opts.include) builder = builder.include(opts.include)
  const result = await builder.analyze()
  const prefix = opts.where ? `${opts.where}: ` : ''
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${prefix}[${v.impact}] ${v.id} – ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`)
}

const ROOT = join(import.meta.dirname, '..', '..')

/**
 * Saves a picture of the page, with no caret, focus ring or hover state: into `docs/<folder>` when
 * UPDATE_SCREENSHOTS is set (the README's pictures), else into test-results/screenshots, or
 * nowhere with `onlyWhenUpdating`.
 */
export async function shoot(page: Page, name: string, opts: { folder?: 'images' | 'screenshots'; onlyWhenUpdating?: boolean } = {}): Promise<void> {
  const updating = !!process.env.UPDATE_SCREENSHOTS
  if (!updating && opts.onlyWhenUpdating) return
  const dir = updating ? join(ROOT, 'docs', opts.folder ?? 'images') : join(ROOT, 'test-results', 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.mouse.move(0, 0)
  await page.evaluate('document.activeElement && document.activeElement.blur()')
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled', caret: 'hide' })
}
