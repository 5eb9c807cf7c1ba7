import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './e2e/support/browser'
import { SPLIT_API_PORT, SPLIT_WEB_PORT } from './e2e/support/ports'

const apiURL = `http://127.0.0.1:${SPLIT_API_PORT}`
const webURL = `http://127.0.0.1:${SPLIT_WEB_PORT}`
const vite = 'node node_modules/vite/bin/vite.js'

/**
 * The split deploy: the SPA built with `VITE_API_URL` and served by `vite preview` on one origin, the API
 * on another that trusts it (CORS with credentials, Better Auth's origin check). `dist-split/` keeps this
 * build away from `dist/`, which the unified server serves.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: 'split.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  outputDir: 'test-results/split',
  use: {
    baseURL: webURL,
    launchOptions: chromiumLaunchOptions,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `uv run --project ../.. tandem start --no-build --port ${SPLIT_API_PORT}`,
      url: `${apiURL}/api/health`,
      env: {
        BETTER_AUTH_URL: apiURL,
        TRUSTED_ORIGINS: webURL,
        BETTER_AUTH_SECRET: 'split-secret-split-secret-split-secret-01',
        AUTH_RATE_LIMIT: '0',
        LOG_LEVEL: 'warning',
        UV_PYTHON_DOWNLOADS: 'never',
      },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      command: `${vite} build --outDir dist-split --emptyOutDir --logLevel warn && ${vite} preview --outDir dist-split --host 127.0.0.1 --port ${SPLIT_WEB_PORT} --strictPort`,
      url: `${webURL}/sign-in`,
      env: { VITE_API_URL: apiURL },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
})
