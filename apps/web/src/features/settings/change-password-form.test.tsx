import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { renderWithApi } from '../../test/render'
import { ChangePasswordForm } from './change-password-form'

/** A fake of the Better Auth endpoint under the real `better-auth/react` client. */
function fakeAuthServer(answer: { status: number; body: unknown }) {
  const requests: { url: string; body: unknown }[] = []
  const fetch = vi.fn(async (url: RequestInfo | URL, init: RequestInit = {}) => {
    const request = new Request(url, init)
    requests.push({ url: request.url, body: await request.json() })
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fetch)
  return { requests }
}

function describedBy(input: HTMLElement) {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? []
  return ids.map((id) => document.getElementById(id)?.textContent).join(' ')
}

describe('ChangePasswordForm', () => {
  it('puts "invalid password" from the server under the current-password field', async () => {
    const server = fakeAuthServer({
      status: 400,
      body: { message: 'Invalid password', code: 'INVALID_PASSWORD' },
    })
    renderWithApi(<ChangePasswordForm />, { fetch: () => Promise.reject(new Error('no tRPC')) })

    await userEvent.type(screen.getByLabelText('Current password'), 'wrong-password')
    await userEvent.type(screen.getByLabelText('New password'), 'a-new-password')
    await userEvent.click(screen.getByLabelText('Sign out other devices'))
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }))

    const current = screen.getByLabelText('Current password')
    await waitFor(() => expect(describedBy(current)).toBe('Invalid password'))
    expect(server.requests).toEqual([
      {
        url: 'http://localhost:3000/api/auth/change-password',
        body: {
          currentPassword: 'wrong-password',
          newPassword: 'a-new-password',
          revokeOtherSessions: true,
        },
      },
    ])
  })
})
