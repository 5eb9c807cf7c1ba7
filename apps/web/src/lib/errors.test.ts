import { TRPCClientError } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import { AuthError, isSessionExpired, messageOf, serverFieldErrors } from './errors'

function trpcClientError(httpStatus: number, zodError: unknown = null) {
  return TRPCClientError.from({
    error: {
      message: 'failed',
      code: -32600,
      data: { code: 'BAD_REQUEST', httpStatus, path: 'task.create', zodError },
    },
  })
}

describe('errors', () => {
  it('reads field errors from the zod error of a tRPC error', () => {
    const error = trpcClientError(400, { formErrors: [], fieldErrors: { title: ['Too small'] } })
    expect(serverFieldErrors(error)).toEqual({ title: ['Too small'] })
    expect(messageOf(error)).toBe('Please correct the highlighted fields.')
  })

  it('treats only a tRPC 401 as an ended session', () => {
    expect(isSessionExpired(trpcClientError(401))).toBe(true)
    expect(isSessionExpired(trpcClientError(403))).toBe(false)
    expect(isSessionExpired(new AuthError(401, 'INVALID_EMAIL_OR_PASSWORD', 'Invalid'))).toBe(false)
  })
})
