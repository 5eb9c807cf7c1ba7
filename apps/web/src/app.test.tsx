import { createMemoryHistory } from '@tanstack/react-router'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { App } from './app'
import { createApp } from './create-app'
import { fakeTrpcServer, query, trpcError } from './test/fake-trpc-server'
import { aTask } from './test/tasks'

const now = '2026-11-24T19:33:43.349Z'
const user = {
  id: 'u1',
  name: 'Alice',
  email: 'alice@example.com',
  emailVerified: true,
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
  ipAddress: '',
  userAgent: 'jsdom',
}

/** A fake of the server's network: Better Auth's sign-in and session endpoints plus tRPC's task.list. */
function fakeServer() {
  const state = { signedIn: false }
  const trpc = fakeTrpcServer({
    'task.list': query(() =>
      state.signedIn
        ? { data: { items: [aTask({ title: 'Buy milk' })], nextCursor: null } }
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHORIZED'),
    ),
  })
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  const authFetch = vi.fn(async (url: RequestInfo | URL, init: RequestInit = {}) => {
    const request = new Request(url, init)
    const path = new URL(request.url).pathname
    if (path === '/api/auth/get-session')
      return json(200, state.signedIn ? { session, user } : null)
    if (path === '/api/auth/sign-in/email' && request.method === 'POST') {
      const body = (await request.json()) as { email: string; password: string }
      if (body.email !== user.email || body.password !== 'correct horse') {
        return json(401, {
          code: 'INVALID_EMAIL_OR_PASSWORD',
          message: 'Invalid email or password',
        })
      }
      state.signedIn = true
      return json(200, { redirect: false, token: session.token, user })
    }
    if (path === '/api/auth/providers') return json(200, { providers: [] })
    return json(404, { message: 'not found' })
  })
  vi.stubGlobal('fetch', authFetch)
  return { state, trpc }
}

function renderApp(path: string, server: ReturnType<typeof fakeServer>) {
  const app = createApp({
    fetch: server.trpc.fetch,
    history: createMemoryHistory({ initialEntries: [path] }),
  })
  app.queryClient.setDefaultOptions({ queries: { retry: false } })
  render(<App {...app} />)
  return app.router
}

async function signIn(password: string) {
  await userEvent.type(await screen.findByLabelText('Email'), user.email)
  await userEvent.type(screen.getByLabelText('Password'), password)
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}

describe('the app', () => {
  it('sends signed-out visitors to sign-in and brings them back afterwards', async () => {
    const server = fakeServer()
    const router = renderApp('/tasks', server)

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy()
    expect(router.state.location.search).toEqual({ redirect: '/tasks' })

    await signIn('correct horse')

    expect(await screen.findByRole('heading', { level: 1, name: 'Your tasks' })).toBeTruthy()
    expect(await screen.findByRole('checkbox', { name: 'Buy milk' })).toBeTruthy()
    expect(router.state.location.pathname).toBe('/tasks')
  })

  it('shows a wrong password as an alert and stays on sign-in', async () => {
    const server = fakeServer()
    renderApp('/sign-in', server)

    await signIn('wrong')

    expect((await screen.findByRole('alert')).textContent).toBe('Invalid email or password')
    expect(server.state.signedIn).toBe(false)
  })

  it('returns to sign-in when tRPC says the session has ended', async () => {
    const server = fakeServer()
    server.state.signedIn = true
    const router = renderApp('/tasks', server)
    expect(await screen.findByRole('checkbox', { name: 'Buy milk' })).toBeTruthy()

    server.state.signedIn = false // expired or revoked elsewhere
    await router.invalidate()

    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'))
    expect(router.state.location.search).toEqual({ redirect: '/tasks' })
    expect(
      await screen.findAllByText('Your session has ended. Please sign in again.'),
    ).toHaveLength(1)
  })
})
