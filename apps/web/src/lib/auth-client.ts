import { createAuthClient } from 'better-auth/react'
import { AuthError } from './errors'
import { apiUrl } from './env'

/** Better Auth's client; without `VITE_API_URL` it talks to `/api/auth` on this origin. */
export const authClient = createAuthClient(apiUrl ? { baseURL: apiUrl } : {})

interface AuthResult<T> {
  data: T | null
  error: { code?: string; message?: string; status: number; statusText: string } | null
}

/** Better Auth resolves to `{data, error}`; TanStack Query wants a throw on failure. */
export async function unwrap<T>(call: Promise<AuthResult<T>>): Promise<T> {
  const { data, error } = await call
  if (error) {
    throw new AuthError(error.status, error.code, error.message || error.statusText || 'Request failed')
  }
  return data as T
}
