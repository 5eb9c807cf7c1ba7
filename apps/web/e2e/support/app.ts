import { expect, type Page } from '@playwright/test'

export interface Account {
  name: string
  email: string
  password: string
}

export function newAccount(): Account {
  const id = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
  return { name: 'E2E Tester', email: `e2e-${id}@example.com`, password: 'first-password-1' }
}

export async function signUp(page: Page, account: Account) {
  await page.goto('/sign-up')
  await page.getByLabel('Name').fill(account.name)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Your tasks' })).toBeVisible()
}

export async function signIn(
  page: Page,
  email: string,
  password: string,
  { rememberMe = true }: { rememberMe?: boolean } = {},
) {
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByLabel('Remember me').setChecked(rememberMe)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

export async function signOut(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Sign out' })
    .click()
  await expect(page).toHaveURL(/\/sign-in/)
}

export async function addTask(page: Page, title: string) {
  await page.getByLabel('Title').fill(title)
  await page.getByRole('button', { name: 'Add task' }).click()
  await expect(page.getByRole('checkbox', { name: title, exact: true })).toBeVisible()
}

/** Waits for the tRPC call (batched or not) that carries `procedure`. */
export function trpcResponse(page: Page, procedure: string) {
  return page.waitForResponse(
    (response) => response.url().includes('/api/trpc/') && response.url().includes(procedure),
  )
}
