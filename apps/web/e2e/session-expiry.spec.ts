import { expect, test } from '@playwright/test'
import { addTask, newAccount, signUp } from './support/app'

test('a session that ends while the app is open sends the user to sign in, then back', async ({
  page,
}) => {
  const account = newAccount()
  await signUp(page, account)
  await addTask(page, 'Survive the session')

  // The session disappears behind the app's back (expired, or revoked on another device).
  await page.context().clearCookies()
  // click, not check(): the tick is rolled back at once, which check() would report as a failure.
  await page.getByRole('checkbox', { name: 'Survive the session' }).click()

  await expect(page).toHaveURL(/\/sign-in\?redirect=%2Ftasks/)
  await expect(page.getByText('Your session has ended. Please sign in again.')).toBeVisible()
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Your tasks' })).toBeVisible()
  await expect(page.getByRole('checkbox', { name: 'Survive the session' })).not.toBeChecked()
})
