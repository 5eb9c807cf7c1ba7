import type { RouterHistory } from '@tanstack/react-router'
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query'
import type { AppRouter } from './generated/app-router'
import { createQueryClient } from './lib/query-client'
import { sessionQueryOptions } from './lib/session'
import { toast } from './lib/toast'
import { createApiClient } from './lib/trpc'
import { createAppRouter } from './router'

const PUBLIC_PATHS = [
  '/sign-in',
  '/sign-up',
  '/forgot-password',
  '/reset-password',
  '/verify-email',
]

/**
 * Wires the query client, the tRPC client and the router together. `fetch` and `history` are there for
 * tests (a fake network, an in-memory history); the browser uses the real ones.
 */
export function createApp({
  fetch,
  history,
}: {
  fetch?: typeof globalThis.fetch
  history?: RouterHistory
} = {}) {
  /** A 401 from tRPC means the session ended (expired, revoked elsewhere): sign in again, then come back. */
  const onSessionExpired = () => {
    // Several calls fail at once when a session ends; only the first one acts.
    const wasSignedIn = queryClient.getQueryData(sessionQueryOptions.queryKey) != null
    queryClient.setQueryData(sessionQueryOptions.queryKey, null)
    const { pathname, href } = router.state.location
    if (!wasSignedIn || PUBLIC_PATHS.includes(pathname)) return
    toast.info('Your session has ended. Please sign in again.')
    void router.navigate({ to: '/sign-in', search: { redirect: href } })
  }

  const queryClient = createQueryClient(onSessionExpired)
  const apiClient = createApiClient(fetch)
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: apiClient, queryClient })
  const router = createAppRouter({ queryClient, trpc }, history)
  return { queryClient, apiClient, router }
}
