import { useQueryClient } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { type FormEvent, useEffect } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { TextField } from '../../components/ui/text-field'
import { messageOf } from '../../lib/errors'
import { refreshSession, useSession } from '../../lib/session'
import { AuthLayout } from './auth-layout'
import { AuthLink } from './auth-link'
import { useSendVerificationEmail } from './use-auth-mutations'

const route = getRouteApi('/verify-email')

const PROBLEMS: Record<string, string> = {
  TOKEN_EXPIRED: 'This verification link has expired.',
  INVALID_TOKEN: 'This verification link is not valid.',
  USER_NOT_FOUND: 'The account for this link no longer exists.',
  INVALID_USER: 'This link belongs to another account. Sign out and open it again.',
}

function ResendForm() {
  const sendEmail = useSendVerificationEmail()
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    sendEmail.mutate(String(new FormData(event.currentTarget).get('email') ?? ''))
  }
  if (sendEmail.isSuccess) return <Alert tone="success">A new link is on its way.</Alert>
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <TextField label="Email" name="email" type="email" autoComplete="email" required />
      {sendEmail.isError ? <Alert tone="error">{messageOf(sendEmail.error)}</Alert> : null}
      <Button type="submit" pending={sendEmail.isPending}>
        Send a new link
      </Button>
    </form>
  )
}

export function VerifyEmailPage() {
  const { error } = route.useSearch()
  const queryClient = useQueryClient()
  const session = useSession()

  // Verifying may have signed the user in or changed the address: ask the server again.
  useEffect(() => {
    void refreshSession(queryClient)
  }, [queryClient])

  if (error) {
    return (
      <AuthLayout title="Email not verified">
        <Alert tone="error">{PROBLEMS[error] ?? `Verification failed (${error}).`}</Alert>
        <ResendForm />
      </AuthLayout>
    )
  }

  return (
    <AuthLayout title="Email verified">
      <Alert tone="success">Thank you, your email address is confirmed.</Alert>
      {session.data ? (
        <AuthLink to="/tasks">Go to your tasks</AuthLink>
      ) : (
        <AuthLink to="/sign-in">Sign in</AuthLink>
      )}
    </AuthLayout>
  )
}
