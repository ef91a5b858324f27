import { defineConfig } from '@playwright/test'

/**
 * GUI tests: the real renderer in Debian's Chromium against `serve` mode (a real engine and the
 * browser GUI server, started per test by test/helpers/gui-server.ts). Vitest does not run these
 * files (it only picks `*.test.ts`). Chromium comes from the system, never from `playwright install`.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: 'gui-*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['line']] : [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    locale: 'en-US',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
    }
  }
})
