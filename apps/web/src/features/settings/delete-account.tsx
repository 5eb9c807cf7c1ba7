import { type FormEvent, useState } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { Card } from '../../components/ui/card'
import { ConfirmDialog } from '../../components/ui/confirm-dialog'
import { TextField } from '../../components/ui/text-field'
import { toast } from '../../lib/toast'
import { splitAuthError } from '../auth/auth-errors'
import { useDeleteAccount } from './use-account'

const DELETE_FIELDS = { INVALID_PASSWORD: 'password' }

export function DeleteAccount() {
  const deleteAccount = useDeleteAccount()
  const [password, setPassword] = useState<string | null>(null)
  const errors = splitAuthError(deleteAccount.error, DELETE_FIELDS)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setPassword(String(new FormData(event.currentTarget).get('password') ?? ''))
  }

  const confirm = () => {
    if (password === null) return
    deleteAccount.mutate(password, {
      onSuccess: () => toast.info('Your account is deleted.'),
      onSettled: () => setPassword(null),
    })
  }

  return (
    <Card title="Delete account" description="This removes your account and all your tasks.">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.fields.password}
        />
        {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
        <Button type="submit" variant="danger">
          Delete account
        </Button>
      </form>
      <ConfirmDialog
        open={password !== null}
        title="Delete your account?"
        confirmLabel="Delete for good"
        pending={deleteAccount.isPending}
        onConfirm={confirm}
        onCancel={() => setPassword(null)}
      >
        Your tasks and sessions will be deleted. This cannot be undone.
      </ConfirmDialog>
    </Card>
  )
}
