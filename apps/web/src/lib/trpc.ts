import { createTRPCClient, httpBatchLink } from '@trpc/client'
import { createTRPCContext, type TRPCOptionsProxy } from '@trpc/tanstack-react-query'
import type { AppRouter } from '../generated/app-router'
import { apiUrl } from './env'

export type { AppRouter }
export type Trpc = TRPCOptionsProxy<AppRouter>
export type ApiClient = ReturnType<typeof createApiClient>

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

/** The tRPC client; `fetchImpl` exists so tests can put a fake network underneath the real client. */
export function createApiClient(fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${apiUrl}/api/trpc`,
        fetch: (url, init) => fetchImpl(url, { ...(init as RequestInit), credentials: 'include' }),
      }),
    ],
  })
}
