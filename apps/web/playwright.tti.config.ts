import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './e2e/support/browser'
import { TTI_SERVER_PORT } from './e2e/support/ports'

const baseURL = `http://127.0.0.1:${TTI_SERVER_PORT}`

// Without DATABASE_URL `tandem start` would open the development database; the benchmark wants a throwaway one.
if (!process.env.DATABASE_URL) {
  throw new Error(
    'DATABASE_URL is unset: run `pnpm --filter @repo/web tti` (it makes a throwaway database)',
  )
}
// The server runs with --no-build, so it must have something current to serve.
if (!existsSync('dist/index.html')) {
  throw new Error('dist/ is missing: run `pnpm --filter @repo/web build` first')
}

/**
 * Time to interactive of the task dashboard (`e2e/tti.bench.ts`): the unified server with a production
 * build, measured in headless Chromium. A benchmark that prints figures, not a test run.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: 'tti.bench.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/tti',
  use: { baseURL, launchOptions: chromiumLaunchOptions },
  webServer: {
    command: `uv run --project ../.. tandem start --no-build --port ${TTI_SERVER_PORT}`,
    url: `${baseURL}/api/health`,
    env: {
      BETTER_AUTH_URL: baseURL,
      BETTER_AUTH_SECRET: 'tti-secret-tti-secret-tti-secret-0123456',
      AUTH_RATE_LIMIT: '0',
      LOG_LEVEL: 'warning',
      UV_PYTHON_DOWNLOADS: 'never',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
})
