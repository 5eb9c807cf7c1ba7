import { expect, type Page, test } from '@playwright/test'

/**
 * The built SPA under `vite preview` with a strict CSP. The API is not running: the two auth endpoints
 * the signed-out pages read are answered here, as the real server would answer a visitor.
 */
async function signedOutVisitor(page: Page) {
  await page.route('**/api/auth/get-session', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: 'null' }),
  )
  await page.route('**/api/auth/providers', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: '{"providers":["github"]}',
    }),
  )
}

function collectConsoleErrors(page: Page) {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

test('a signed-out visitor is sent to sign-in, which renders accessibly under a strict CSP', async ({
  page,
}) => {
  const errors = collectConsoleErrors(page)
  await signedOutVisitor(page)

  await page.goto('/tasks')

  await expect(page).toHaveURL(/\/sign-in\?redirect=%2Ftasks$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  await expect(page.getByLabel('Email')).toBeVisible()
  await expect(page.getByLabel('Password')).toBeVisible()
  await expect(page.getByLabel('Remember me')).toBeChecked()
  await expect(page.getByRole('button', { name: 'GitHub' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/sign-in-light.png', fullPage: true })

  await page.getByLabel('Theme').selectOption('dark')
  await expect(page.locator('html')).toHaveClass(/dark/)
  await page.waitForTimeout(300) // let the colour transitions finish before the picture
  await page.screenshot({ path: 'test-results/screenshots/sign-in-dark.png', fullPage: true })

  expect(errors).toEqual([])
})

test('keyboard users get a skip link and land on the heading after navigating', async ({
  page,
}) => {
  await signedOutVisitor(page)
  await page.goto('/sign-in')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()

  await page.keyboard.press('Tab')
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused()

  await page.getByRole('link', { name: 'Create an account' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeFocused()
})

test('sign-up checks the form before asking the server', async ({ page }) => {
  await signedOutVisitor(page)
  await page.goto('/sign-up')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible()
})

test('unknown addresses show the 404 page', async ({ page }) => {
  await signedOutVisitor(page)
  await page.goto('/no/such/page')
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
})

test('an expired reset link explains itself', async ({ page }) => {
  await signedOutVisitor(page)
  await page.goto('/reset-password?error=INVALID_TOKEN')
  await expect(page.getByRole('heading', { name: 'This link does not work' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Request a new link' })).toBeVisible()
})

test('a signed-in user sees the task list and the settings', async ({ page }) => {
  const errors = collectConsoleErrors(page)
  const now = new Date().toISOString()
  const user = {
    id: 'u1',
    name: 'Alice',
    email: 'alice@example.com',
    emailVerified: false,
    image: null,
    createdAt: now,
    updatedAt: now,
  }
  const session = {
    id: 's1',
    token: 'tok1',
    userId: 'u1',
    expiresAt: now,
    createdAt: now,
    updatedAt: now,
    ipAddress: '127.0.0.1',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
  }
  const tasks = ['Call the bank', 'Water the plants', 'Buy milk'].map((title, i) => ({
    id: `t${i}`,
    title,
    description: i === 1 ? 'Balcony first' : null,
    done: i === 1,
    createdAt: now,
    updatedAt: now,
  }))
  await page.route('**/api/auth/get-session', (route) => route.fulfill({ json: { session, user } }))
  await page.route('**/api/auth/list-sessions', (route) =>
    route.fulfill({
      json: [session, { ...session, id: 's2', token: 'tok2', ipAddress: '10.0.0.7' }],
    }),
  )
  await page.route('**/api/trpc/**', (route) => {
    const paths = new URL(route.request().url()).pathname.split('/').pop()?.split(',') ?? []
    route.fulfill({
      json: paths.map(() => ({ result: { data: { items: tasks, nextCursor: null } } })),
    })
  })

  await page.goto('/tasks')
  await expect(page.getByRole('heading', { level: 1, name: 'Your tasks' })).toBeVisible()
  await expect(page.getByRole('checkbox', { name: 'Water the plants' })).toBeChecked()
  await page.screenshot({ path: 'test-results/screenshots/tasks.png', fullPage: true })

  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused()
  await expect(page.getByText('This device')).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/settings.png', fullPage: true })
  expect(errors).toEqual([])
})
