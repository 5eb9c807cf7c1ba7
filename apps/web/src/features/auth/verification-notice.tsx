import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { messageOf } from '../../lib/errors'
import { useSendVerificationEmail } from './use-auth-mutations'

/** Shown when the server wants the address verified before signing in. */
export function VerificationNotice({ email }: { email: string }) {
  const sendEmail = useSendVerificationEmail()
  return (
    <Alert tone="info" title="Please verify your email address">
      <p>We sent a link to {email}. Open it to finish, then sign in.</p>
      {sendEmail.isSuccess ? <p className="mt-2">A new link is on its way.</p> : null}
      {sendEmail.isError ? <p className="mt-2">{messageOf(sendEmail.error)}</p> : null}
      <Button
        variant="secondary"
        size="sm"
        className="mt-2"
        pending={sendEmail.isPending}
        onClick={() => sendEmail.mutate(email)}
      >
        Send the link again
      </Button>
    </Alert>
  )
}
