import { useMutation } from '@tanstack/react-query'
import { authClient, unwrap } from '../lib/auth-client'
import { messageOf } from '../lib/errors'
import { toast } from '../lib/toast'
import { useLeaveSession } from '../lib/use-leave-session'
import { Button } from './ui/button'

function useSignOut() {
  const leaveSession = useLeaveSession()
  return useMutation({
    mutationFn: () => unwrap(authClient.signOut()),
    onSuccess: async () => {
      await leaveSession()
      toast.info('You are signed out.')
    },
    onError: (error) => toast.error(messageOf(error)),
  })
}

export function SignOutButton() {
  const signOut = useSignOut()
  return (
    <Button variant="ghost" size="sm" pending={signOut.isPending} onClick={() => signOut.mutate()}>
      Sign out
    </Button>
  )
}
