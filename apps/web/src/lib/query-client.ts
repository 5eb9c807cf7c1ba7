import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query'
import { isClientError, isSessionExpired } from './errors'

/** One QueryClient for the app; `onSessionExpired` runs whenever tRPC answers 401. */
export function createQueryClient(onSessionExpired: () => void = () => {}) {
  const onError = (error: unknown) => {
    if (isSessionExpired(error)) onSessionExpired()
  }
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) => !isClientError(error) && failures < 2,
      },
      mutations: { retry: false },
    },
  })
}
