import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { TextField } from '../../components/ui/text-field'
import type { FieldErrors } from '../../lib/errors'
import { toast } from '../../lib/toast'
import { splitAuthError } from './auth-errors'
import { AuthLayout } from './auth-layout'
import { AuthLink } from './auth-link'
import { rememberedResetEmail, useResetPassword } from './use-auth-mutations'

const route = getRouteApi('/reset-password')
const RESET_FIELDS = { PASSWORD_TOO_SHORT: 'newPassword', PASSWORD_TOO_LONG: 'newPassword' }

function InvalidLink() {
  return (
    <AuthLayout title="This link does not work">
      <Alert tone="error">The reset link is invalid or has expired.</Alert>
      <AuthLink to="/forgot-password">Request a new link</AuthLink>
    </AuthLayout>
  )
}

export function ResetPasswordPage() {
  const { token, error } = route.useSearch()
  const navigate = useNavigate()
  const resetPassword = useResetPassword()
  const [ownErrors, setOwnErrors] = useState<FieldErrors>({})
  if (error || !token) return <InvalidLink />

  const serverErrors = splitAuthError(resetPassword.error, RESET_FIELDS)
  const fields = { ...serverErrors.fields, ...ownErrors }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const email = String(data.get('email') ?? '')
    const newPassword = String(data.get('newPassword') ?? '')
    const problems: FieldErrors = {}
    if (newPassword.length < 8) problems.newPassword = ['Use at least 8 characters.']
    if (data.get('confirmPassword') !== newPassword) {
      problems.confirmPassword = ['The passwords do not match.']
    }
    setOwnErrors(problems)
    if (Object.keys(problems).length) return
    resetPassword.mutate(
      { token, email, newPassword },
      {
        onSuccess: async () => {
          toast.success('Your password is changed and you are signed in.')
          await navigate({ to: '/tasks' })
        },
      },
    )
  }

  return (
    <AuthLayout title="Choose a new password">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={rememberedResetEmail()}
          required
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={fields.newPassword}
        />
        <TextField
          label="Repeat the new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={fields.confirmPassword}
        />
        {serverErrors.form ? <Alert tone="error">{serverErrors.form}</Alert> : null}
        <Button type="submit" className="w-full" pending={resetPassword.isPending}>
          Set password and sign in
        </Button>
      </form>
    </AuthLayout>
  )
}
