import { type FormEvent, useState } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { Card } from '../../components/ui/card'
import { CheckboxField } from '../../components/ui/checkbox-field'
import { TextField } from '../../components/ui/text-field'
import type { FieldErrors } from '../../lib/errors'
import { toast } from '../../lib/toast'
import { splitAuthError } from '../auth/auth-errors'
import { useChangePassword } from './use-account'

const PASSWORD_FIELDS = {
  INVALID_PASSWORD: 'currentPassword',
  PASSWORD_TOO_SHORT: 'newPassword',
  PASSWORD_TOO_LONG: 'newPassword',
}

export function ChangePasswordForm() {
  const changePassword = useChangePassword()
  const [ownErrors, setOwnErrors] = useState<FieldErrors>({})
  const serverErrors = splitAuthError(changePassword.error, PASSWORD_FIELDS)
  const fields = { ...serverErrors.fields, ...ownErrors }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const data = new FormData(form)
    const input = {
      currentPassword: String(data.get('currentPassword') ?? ''),
      newPassword: String(data.get('newPassword') ?? ''),
      revokeOtherSessions: data.get('revokeOtherSessions') === 'on',
    }
    const problems: FieldErrors = {}
    if (!input.currentPassword) problems.currentPassword = ['Enter your current password.']
    if (input.newPassword.length < 8) problems.newPassword = ['Use at least 8 characters.']
    setOwnErrors(problems)
    if (Object.keys(problems).length) return
    changePassword.mutate(input, {
      onSuccess: () => {
        form.reset()
        toast.success('Password changed.')
      },
    })
  }

  return (
    <Card title="Password">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={fields.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={fields.newPassword}
        />
        <CheckboxField label="Sign out other devices" name="revokeOtherSessions" />
        {serverErrors.form ? <Alert tone="error">{serverErrors.form}</Alert> : null}
        <Button type="submit" pending={changePassword.isPending}>
          Change password
        </Button>
      </form>
    </Card>
  )
}
