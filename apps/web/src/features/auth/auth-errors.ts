import { authFieldErrors, type FieldErrors, messageOf } from '../../lib/errors'

/** Which field each Better Auth error code belongs under. */
export const AUTH_FIELDS: Record<string, string> = {
  INVALID_EMAIL: 'email',
  USER_ALREADY_EXISTS: 'email',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'email',
  PASSWORD_TOO_SHORT: 'password',
  PASSWORD_TOO_LONG: 'password',
}

/** Errors that belong to a field go there; anything else becomes one message for the whole form. */
export function splitAuthError(
  error: unknown,
  fieldsByCode: Record<string, string> = AUTH_FIELDS,
): { fields: FieldErrors; form: string | null } {
  if (!error) return { fields: {}, form: null }
  const fields = authFieldErrors(error, fieldsByCode)
  return { fields, form: Object.keys(fields).length ? null : messageOf(error) }
}
