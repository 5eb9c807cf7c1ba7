import type { FormEvent } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { TextField } from '../../components/ui/text-field'
import { splitAuthError } from './auth-errors'
import { AuthLayout } from './auth-layout'
import { AuthLink } from './auth-link'
import { useRequestPasswordReset } from './use-auth-mutations'

export function ForgotPasswordPage() {
  const requestReset = useRequestPasswordReset()
  const errors = splitAuthError(requestReset.error)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    requestReset.mutate(String(new FormData(event.currentTarget).get('email') ?? ''))
  }

  return (
    <AuthLayout title="Reset your password">
      {requestReset.isSuccess ? (
        <Alert tone="success" title="Check your inbox">
          If an account exists for that address, we sent a link to reset the password.
        </Alert>
      ) : (
        <form noValidate onSubmit={onSubmit} className="space-y-4">
          <p className="text-sm text-gray-700 dark:text-gray-300">
            Enter your email and we will send you a link to choose a new password.
          </p>
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            errors={errors.fields.email}
          />
          {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
          <Button type="submit" className="w-full" pending={requestReset.isPending}>
            Send reset link
          </Button>
        </form>
      )}
      <p className="text-center text-sm">
        <AuthLink to="/sign-in">Back to sign in</AuthLink>
      </p>
    </AuthLayout>
  )
}
