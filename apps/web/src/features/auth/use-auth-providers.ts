import { useQuery } from '@tanstack/react-query'
import { apiUrl } from '../../lib/env'

/** Social providers the server has configured (`GET /api/auth/providers`); none if it cannot say. */
export function useAuthProviders() {
  return useQuery({
    queryKey: ['auth', 'providers'],
    queryFn: async (): Promise<string[]> => {
      const response = await fetch(`${apiUrl}/api/auth/providers`, { credentials: 'include' })
      if (!response.ok) return []
      const body: unknown = await response.json()
      const providers = (body as { providers?: unknown } | null)?.providers
      return Array.isArray(providers)
        ? providers.filter((id): id is string => typeof id === 'string')
        : []
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  })
}
