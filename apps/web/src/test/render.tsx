import { QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactNode } from 'react'
import { Toaster } from '../components/toaster'
import { createQueryClient } from '../lib/query-client'
import { createApiClient, TRPCProvider } from '../lib/trpc'

/** Renders with the real query client and the real tRPC client on top of the given network. */
export function renderWithApi(ui: ReactNode, network: { fetch: typeof fetch }) {
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false }, mutations: { retry: false } })
  const apiClient = createApiClient(network.fetch)
  const view = render(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={apiClient} queryClient={queryClient}>
        {ui}
        <Toaster />
      </TRPCProvider>
    </QueryClientProvider>,
  )
  return { ...view, queryClient }
}
