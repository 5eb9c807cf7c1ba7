import { createAuthClient } from 'better-auth/react'
import { apiUrl } from './env'
import { AuthError } from './errors'

/** Better Auth's client; without `VITE_API_URL` it talks to `/api/auth` on this origin. */
export const authClient = createAuthClient({
  ...(apiUrl ? { baseURL: apiUrl } : {}),
  // Look `fetch` up per request (not once at start-up), so tests can put a fake network underneath.
  fetchOptions: { customFetchImpl: (input, init) => globalThis.fetch(input, init) },
})

interface AuthResult<T> {
  data: T | null
  error: { code?: string; message?: string; status: number; statusText: string } | null
}

/** Better Auth resolves to `{data, error}`; TanStack Query wants a throw on failure. */
export async function unwrap<T>(call: Promise<AuthResult<T>>): Promise<T> {
  const { data, error } = await call
  if (error) {
    throw new AuthError(
      error.status,
      error.code,
      error.message || error.statusText || 'Request failed',
    )
  }
  return data as T
}
