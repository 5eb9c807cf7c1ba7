import { expect, test } from '@playwright/test'
import { addTask, newAccount, signIn, signOut, signUp, trpcResponse } from './support/app'
import { linkIn, waitForMail } from './support/mailbox'

/**
 * One user's whole life against the real server: tasks, sign-out/in, password reset by mail,
 * sessions on two devices, account deletion. Steps depend on each other, so it is one test.
 */
test('sign up, manage tasks, reset the password, revoke a session, delete the account', async ({
  page,
  browser,
}) => {
  const account = newAccount()
  const newPassword = 'second-password-2'

  await test.step('sign up lands on the empty task list', async () => {
    await signUp(page, account)
    await expect(page.getByText('No tasks yet')).toBeVisible()
  })

  await test.step('create three tasks (newest first)', async () => {
    await addTask(page, 'Buy milk')
    await addTask(page, 'Water the plants')
    await addTask(page, 'Call the bank')
    const titles = page.getByRole('list', { name: 'Tasks' }).getByRole('checkbox')
    await expect(titles).toHaveCount(3)
    await expect(page.getByRole('list', { name: 'Tasks' }).locator('label')).toHaveText([
      'Call the bank',
      'Water the plants',
      'Buy milk',
    ])
  })

  await test.step('a too-long title is explained under the field', async () => {
    await page.getByLabel('Title').fill('x'.repeat(201))
    await page.getByRole('button', { name: 'Add task' }).click()
    await expect(page.getByText('Keep the title to 200 characters or fewer.')).toBeVisible()
    await page.getByLabel('Title').fill('')
  })

  await test.step('toggle one; the tick survives a reload', async () => {
    const saved = trpcResponse(page, 'task.update')
    // click + assertion rather than check(): the optimistic tick lands a microtask after the click.
    await page.getByRole('checkbox', { name: 'Water the plants' }).click()
    await expect(page.getByRole('checkbox', { name: 'Water the plants' })).toBeChecked()
    expect((await saved).status()).toBe(200)
    await page.reload()
    await expect(page.getByRole('checkbox', { name: 'Water the plants' })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: 'Buy milk' })).not.toBeChecked()
  })

  await test.step('edit a title inline', async () => {
    await page.getByRole('button', { name: 'Edit “Call the bank”' }).click()
    const field = page.getByLabel('New title for “Call the bank”')
    await expect(field).toBeFocused()
    await field.fill('Call the bank about the card')
    await field.press('Enter')
    await expect(page.getByRole('checkbox', { name: 'Call the bank about the card' })).toBeVisible()
    await page.reload()
    await expect(page.getByRole('checkbox', { name: 'Call the bank about the card' })).toBeVisible()
  })

  await test.step('delete one after confirming', async () => {
    await page.getByRole('button', { name: 'Delete “Buy milk”' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete this task?' })
    await expect(dialog).toBeVisible()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await expect(page.getByRole('checkbox', { name: 'Buy milk' })).toHaveCount(0)
    await page.reload()
    await expect(page.getByRole('list', { name: 'Tasks' }).getByRole('checkbox')).toHaveCount(2)
  })

  await test.step('sign out, and the tasks are behind sign-in again', async () => {
    await signOut(page)
    await page.goto('/tasks')
    await expect(page).toHaveURL(/\/sign-in\?redirect=%2Ftasks/)
  })

  await test.step('sign in brings the user back where they were going', async () => {
    await page.goto('/settings')
    await expect(page).toHaveURL(/\/sign-in\?redirect=%2Fsettings/)
    await page.getByLabel('Email').fill(account.email)
    await page.getByLabel('Password').fill(account.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
    await signOut(page)
  })

  await test.step('forgot password: the mail link leads to the reset page', async () => {
    await page.goto('/sign-in')
    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.getByLabel('Email').fill(account.email)
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await expect(page.getByText('Check your inbox')).toBeVisible()

    const mail = await waitForMail(account.email)
    await page.goto(linkIn(mail, '/reset-password'))
    await expect(page).toHaveURL(/\/reset-password\?token=/)
    await expect(page.getByLabel('Email')).toHaveValue(account.email)
    await page.getByLabel('New password', { exact: true }).fill(newPassword)
    await page.getByLabel('Repeat the new password').fill(newPassword)
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Your tasks' })).toBeVisible()
    await signOut(page)
  })

  await test.step('the old password fails, the new one works', async () => {
    await signIn(page, account.email, account.password)
    await expect(page.getByRole('alert')).toContainText('Invalid email or password')
    await signIn(page, account.email, newPassword, { rememberMe: false })
    await expect(page.getByRole('heading', { level: 1, name: 'Your tasks' })).toBeVisible()
    const cookies = await page.context().cookies()
    const session = cookies.find((cookie) => cookie.name.endsWith('session_token'))
    expect(session?.expires, 'without "remember me" the cookie ends with the browser').toBe(-1)
  })

  await test.step('revoke the session of another device', async () => {
    const otherDevice = await browser.newContext()
    const otherPage = await otherDevice.newPage()
    await signIn(otherPage, account.email, newPassword)
    await expect(otherPage.getByRole('heading', { level: 1, name: 'Your tasks' })).toBeVisible()

    await page.goto('/settings')
    const sessions = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem')
    await expect(sessions).toHaveCount(2)
    await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1)
    await page.getByRole('button', { name: /^Revoke session/ }).click()
    await expect(page.getByText('Session revoked.')).toBeVisible()
    await expect(sessions).toHaveCount(1)

    await otherPage.reload()
    await expect(otherPage).toHaveURL(/\/sign-in\?redirect=%2Ftasks/)
    await otherDevice.close()
  })

  await test.step('delete the account', async () => {
    await page.goto('/settings')
    const section = page.getByRole('region', { name: 'Delete account' })
    await section.getByLabel('Password').fill(newPassword)
    await section.getByRole('button', { name: 'Delete account' }).click()
    await page
      .getByRole('dialog', { name: 'Delete your account?' })
      .getByRole('button', { name: 'Delete for good' })
      .click()
    await expect(page).toHaveURL(/\/sign-in/)
    await signIn(page, account.email, newPassword)
    await expect(page.getByRole('alert')).toContainText('Invalid email or password')
  })
})
