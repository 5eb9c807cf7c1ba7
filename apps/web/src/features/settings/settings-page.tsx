import { PageHeading } from '../../components/ui/page-heading'
import { useSession } from '../../lib/session'
import { ChangeEmailForm } from './change-email-form'
import { ChangePasswordForm } from './change-password-form'
import { DeleteAccount } from './delete-account'
import { ProfileForm } from './profile-form'
import { SessionsList } from './sessions-list'

export function SettingsPage() {
  const { data: session } = useSession()
  // The route guard loaded the session; it is only missing while signing out.
  if (!session) return null
  return (
    <div className="space-y-6">
      <PageHeading>Settings</PageHeading>
      <ProfileForm key={`${session.user.name}|${session.user.image}`} user={session.user} />
      <ChangeEmailForm user={session.user} />
      <ChangePasswordForm />
      <SessionsList currentToken={session.session.token} />
      <DeleteAccount />
    </div>
  )
}
