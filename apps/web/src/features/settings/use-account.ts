import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { authClient, unwrap } from '../../lib/auth-client'
import { appUrl } from '../../lib/env'
import { refreshSession } from '../../lib/session'
import { useLeaveSession } from '../../lib/use-leave-session'

const sessionsQueryOptions = queryOptions({
  queryKey: ['auth', 'sessions'],
  queryFn: async () => (await unwrap(authClient.listSessions())) ?? [],
})

export function useActiveSessions() {
  return useQuery(sessionsQueryOptions)
}

export function useUpdateProfile() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: { name: string; image: string | null }) =>
      unwrap(authClient.updateUser(input)),
    onSuccess: () => refreshSession(queryClient),
  })
}

export function useChangeEmail() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (newEmail: string) =>
      unwrap(authClient.changeEmail({ newEmail, callbackURL: appUrl('/settings') })),
    onSuccess: () => refreshSession(queryClient),
  })
}

export function useChangePassword() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: {
      currentPassword: string
      newPassword: string
      revokeOtherSessions: boolean
    }) => unwrap(authClient.changePassword(input)),
    onSuccess: async () => {
      await refreshSession(queryClient)
      await queryClient.invalidateQueries(sessionsQueryOptions)
    },
  })
}

export function useRevokeSession() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (token: string) => unwrap(authClient.revokeSession({ token })),
    onSuccess: () => queryClient.invalidateQueries(sessionsQueryOptions),
  })
}

export function useDeleteAccount() {
  const leaveSession = useLeaveSession()
  return useMutation({
    mutationFn: (password: string) => unwrap(authClient.deleteUser({ password })),
    onSuccess: leaveSession,
  })
}
