import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { type ApiClient, TRPCProvider } from './lib/trpc'
import type { createAppRouter } from './router'

export function App({
  queryClient,
  apiClient,
  router,
}: {
  queryClient: QueryClient
  apiClient: ApiClient
  router: ReturnType<typeof createAppRouter>
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={apiClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  )
}
