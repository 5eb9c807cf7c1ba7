import { TRPCClientError } from '@trpc/client'
import type { AppRouter } from '../generated/app-router'

export type FieldErrors = Record<string, string[] | undefined>

/** A failed Better Auth call, carrying the server's `code` (e.g. `INVALID_EMAIL_OR_PASSWORD`). */
export class AuthError extends Error {
  readonly code: string | undefined
  readonly status: number

  constructor(status: number, code: string | undefined, message: string) {
    super(message)
    this.name = 'AuthError'
    this.status = status
    this.code = code
  }
}

function isTrpcError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError
}

function httpStatusOf(error: unknown): number | undefined {
  if (isTrpcError(error)) return error.data?.httpStatus
  if (error instanceof AuthError) return error.status
  return undefined
}

/** tRPC says "your session is gone": the only 401 that should send the user to sign-in. */
export function isSessionExpired(error: unknown): boolean {
  return isTrpcError(error) && error.data?.httpStatus === 401
}

/** Client errors (4xx) will fail the same way again; retrying them only delays the message. */
export function isClientError(error: unknown): boolean {
  const status = httpStatusOf(error)
  return status !== undefined && status >= 400 && status < 500
}

/** The server's per-field validation messages (`error.data.zodError.fieldErrors`). */
export function serverFieldErrors(error: unknown): FieldErrors {
  if (isTrpcError(error)) return error.data?.zodError?.fieldErrors ?? {}
  return {}
}

/** Better Auth reports field problems as codes; this puts them under the field they concern. */
export function authFieldErrors(error: unknown, fieldsByCode: Record<string, string>): FieldErrors {
  if (!(error instanceof AuthError) || !error.code) return {}
  const field = fieldsByCode[error.code]
  return field ? { [field]: [error.message] } : {}
}

/** A sentence for a toast or an alert. */
export function messageOf(error: unknown): string {
  if (isTrpcError(error)) {
    if (error.data?.zodError) return 'Please correct the highlighted fields.'
    if (error.data?.httpStatus === 401) return 'Your session has ended. Please sign in again.'
    if (error.data?.httpStatus && error.data.httpStatus >= 500) return 'The server had a problem.'
    return error.message
  }
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong.'
}
