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

/** Asks the server again, e.g. after signing in or changing the profile. */
export function refreshSession(queryClient: QueryClient) {
  return queryClient.fetchQuery({ ...sessionQueryOptions, staleTime: 0 })
}

/** After signing in: nothing cached for a previous user may show, then load the new session. */
export function adoptNewSession(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' })
  return refreshSession(queryClient)
}
