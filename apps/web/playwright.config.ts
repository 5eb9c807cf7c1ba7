import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './e2e/support/browser'
import { MAILBOX_PORT, SERVER_PORT, SMTP_PORT } from './e2e/support/ports'

const baseURL = `http://127.0.0.1:${SERVER_PORT}`

/**
 * The full stack: the Python server serves the built SPA and the API on one origin and sends its mail
 * to the in-process catcher (`e2e/support/mailbox.mjs`).
 */
export default defineConfig({
  testDir: './e2e',
  testIgnore: ['preview.spec.ts', 'split.spec.ts'],
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    launchOptions: chromiumLaunchOptions,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: 'node e2e/support/mailbox.mjs',
      url: `http://127.0.0.1:${MAILBOX_PORT}/health`,
      env: { SMTP_PORT: String(SMTP_PORT), MAILBOX_PORT: String(MAILBOX_PORT) },
      reuseExistingServer: false,
      timeout: 15_000,
    },
    {
      command:
        process.env.E2E_SERVER_COMMAND ??
        `uv run --project ../.. tandem start --port ${SERVER_PORT}`,
      url: `${baseURL}/api/health`,
      env: {
        BETTER_AUTH_URL: baseURL,
        BETTER_AUTH_SECRET:
          process.env.BETTER_AUTH_SECRET ?? 'e2e-secret-e2e-secret-e2e-secret-0123',
        SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
        EMAIL_FROM: 'tandem-e2e@example.com',
        AUTH_RATE_LIMIT: 'false',
        UV_PYTHON_DOWNLOADS: 'never',
      },
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
})
