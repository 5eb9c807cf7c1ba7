import { expect, type Response, test } from '@playwright/test'
import { addTask, newAccount, signOut, signUp } from './support/app'
import { SPLIT_API_PORT, SPLIT_WEB_PORT } from './support/ports'

const apiOrigin = `http://127.0.0.1:${SPLIT_API_PORT}`
const webOrigin = `http://127.0.0.1:${SPLIT_WEB_PORT}`

test('the SPA on its own origin signs up, keeps a task across a reload and signs out via the API origin', async ({
  page,
}) => {
  const apiResponses: Response[] = []
  const sameOriginApiCalls: string[] = []
  const problems: string[] = []
  page.on('response', (response) => {
    if (response.url().startsWith(`${apiOrigin}/api/`)) apiResponses.push(response)
  })
  page.on('request', (request) => {
    if (request.url().startsWith(`${webOrigin}/api/`)) sameOriginApiCalls.push(request.url())
  })
  page.on('console', (message) => {
    if (/Content Security Policy|CORS/i.test(message.text())) problems.push(message.text())
  })

  const account = newAccount()
  await signUp(page, account)
  await addTask(page, 'Cross the origin')

  await page.reload()
  await expect(page.getByRole('checkbox', { name: 'Cross the origin' })).toBeVisible()

  await signOut(page)
  await page.goto('/tasks')
  await expect(page).toHaveURL(/\/sign-in\?redirect=%2Ftasks/)

  // Every call went to the API's origin, and it allowed this origin with credentials.
  expect(sameOriginApiCalls).toEqual([])
  expect(problems).toEqual([])
  const paths = apiResponses.map((response) => new URL(response.url()).pathname)
  expect(paths).toEqual(
    expect.arrayContaining([
      '/api/auth/sign-up/email',
      '/api/trpc/task.create',
      '/api/trpc/task.list',
      '/api/auth/sign-out',
    ]),
  )
  for (const response of apiResponses) {
    const headers = await response.allHeaders()
    expect(headers['access-control-allow-origin'], response.url()).toBe(webOrigin)
    expect(headers['access-control-allow-credentials'], response.url()).toBe('true')
  }
})
