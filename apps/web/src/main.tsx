import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import type { AppRouter } from './generated/app-router'
import { createQueryClient } from './lib/query-client'
import { sessionQueryOptions } from './lib/session'
import { toast } from './lib/toast'
import { createApiClient } from './lib/trpc'
import { createAppRouter } from './router'
import './index.css'

const PUBLIC_PATHS = [
  '/sign-in',
  '/sign-up',
  '/forgot-password',
  '/reset-password',
  '/verify-email',
]

/** A 401 from tRPC means the session ended (expired, revoked elsewhere): sign in again, then come back. */
function onSessionExpired() {
  queryClient.setQueryData(sessionQueryOptions.queryKey, null)
  const { pathname, href } = router.state.location
  if (PUBLIC_PATHS.includes(pathname)) return
  toast.info('Your session has ended. Please sign in again.')
  void router.navigate({ to: '/sign-in', search: { redirect: href } })
}

const queryClient = createQueryClient(onSessionExpired)
const apiClient = createApiClient()
const trpc = createTRPCOptionsProxy<AppRouter>({ client: apiClient, queryClient })
const router = createAppRouter({ queryClient, trpc })

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')

createRoot(container).render(
  <StrictMode>
    <App queryClient={queryClient} apiClient={apiClient} router={router} />
  </StrictMode>,
)
