import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { authClient, unwrap } from '../lib/auth-client'
import { messageOf } from '../lib/errors'
import { forgetSession } from '../lib/session'
import { toast } from '../lib/toast'
import { Button } from './ui/button'

function useSignOut() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: () => unwrap(authClient.signOut()),
    onSuccess: async () => {
      forgetSession(queryClient)
      await navigate({ to: '/sign-in' })
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
