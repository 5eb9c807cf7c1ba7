import type { FormEvent } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { Card } from '../../components/ui/card'
import { TextField } from '../../components/ui/text-field'
import { messageOf } from '../../lib/errors'
import type { User } from '../../lib/session'
import { toast } from '../../lib/toast'
import { splitAuthError } from '../auth/auth-errors'
import { useSendVerificationEmail } from '../auth/use-auth-mutations'
import { useChangeEmail } from './use-account'

const EMAIL_FIELDS = { INVALID_EMAIL: 'newEmail' }

function UnverifiedNotice({ email }: { email: string }) {
  const sendEmail = useSendVerificationEmail()
  return (
    <Alert tone="info" title="Your email address is not verified">
      {sendEmail.isSuccess ? <p>We sent a link to {email}.</p> : null}
      {sendEmail.isError ? <p>{messageOf(sendEmail.error)}</p> : null}
      <Button
        variant="secondary"
        size="sm"
        className="mt-2"
        pending={sendEmail.isPending}
        onClick={() => sendEmail.mutate(email)}
      >
        Send verification email
      </Button>
    </Alert>
  )
}

export function ChangeEmailForm({ user }: { user: User }) {
  const changeEmail = useChangeEmail()
  const errors = splitAuthError(changeEmail.error, EMAIL_FIELDS)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    changeEmail.mutate(String(new FormData(form).get('newEmail') ?? ''), {
      onSuccess: () => {
        form.reset()
        toast.success('Check your inbox to confirm the new address.')
      },
    })
  }

  return (
    <Card title="Email" description={`You sign in with ${user.email}.`}>
      <div className="space-y-4">
        {user.emailVerified ? null : <UnverifiedNotice email={user.email} />}
        <form noValidate onSubmit={onSubmit} className="space-y-4">
          <TextField
            label="New email"
            name="newEmail"
            type="email"
            autoComplete="email"
            required
            errors={errors.fields.newEmail}
          />
          {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
          <Button type="submit" pending={changeEmail.isPending}>
            Change email
          </Button>
        </form>
      </div>
    </Card>
  )
}
