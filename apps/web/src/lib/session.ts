import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query'
import { authClient } from './auth-client'
import { AuthError } from './errors'

export const sessionQueryOptions = queryOptions({
  queryKey: ['auth', 'session'],
  queryFn: async () => {
    const { data, error } = await authClient.getSession()
    if (error && error.status !== 401) {
      throw new AuthError(error.status, error.code, error.message || error.statusText)
    }
    return data ?? null
  },
  staleTime: 60_000,
})

export type Session = NonNullable<Awaited<ReturnType<typeof authClient.getSession>>['data']>
export type User = Session['user']

export function useSession() {
  return useQuery(sessionQueryOptions)
}

/** The signed-in user; only for pages behind the route guard, which loaded the session already. */
export function useCurrentUser(): User | undefined {
  return useSession().data?.user
}

/** Asks the server again, e.g. after signing in or changing the profile. */
export function refreshSession(queryClient: QueryClient) {
  return queryClient.fetchQuery({ ...sessionQueryOptions, staleTime: 0 })
}

/** Forgets everything cached for the previous user. */
export function forgetSession(queryClient: QueryClient) {
  queryClient.clear()
  queryClient.setQueryData(sessionQueryOptions.queryKey, null)
}
