import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './e2e/support/browser'
import { PREVIEW_PORT } from './e2e/support/ports'

/** The built SPA alone under `vite preview` (strict CSP headers), for checks that need no API. */
export default defineConfig({
  testDir: './e2e',
  testMatch: 'preview.spec.ts',
  timeout: 30_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PREVIEW_PORT}`,
    launchOptions: chromiumLaunchOptions,
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${PREVIEW_PORT} --strictPort`,
    url: `http://127.0.0.1:${PREVIEW_PORT}/sign-in`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
