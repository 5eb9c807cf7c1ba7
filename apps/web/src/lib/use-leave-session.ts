import { hashKey, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { sessionQueryOptions } from './session'

/**
 * After sign-out or account deletion: go to sign-in first, then drop the previous user's cache.
 * (Clearing while the task list is still mounted would make it refetch as nobody and hit a 401.)
 */
export function useLeaveSession() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  return async () => {
    queryClient.setQueryData(sessionQueryOptions.queryKey, null)
    await navigate({ to: '/sign-in' })
    const session = hashKey(sessionQueryOptions.queryKey)
    queryClient.removeQueries({ predicate: (query) => query.queryHash !== session })
  }
}
