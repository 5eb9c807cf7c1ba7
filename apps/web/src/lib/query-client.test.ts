import { describe, expect, it, vi } from 'vitest'
import { fakeTrpcServer, mutation, query, trpcError } from '../test/fake-trpc-server'
import { createQueryClient } from './query-client'
import { createApiClient } from './trpc'

describe('createQueryClient', () => {
  it('reports an ended session when tRPC answers 401, for queries and mutations', async () => {
    const onSessionExpired = vi.fn()
    const queryClient = createQueryClient(onSessionExpired)
    const client = createApiClient(
      fakeTrpcServer({
        'task.list': query(() => trpcError(401, 'UNAUTHORIZED', 'UNAUTHORIZED')),
        'task.create': mutation(() => trpcError(401, 'UNAUTHORIZED', 'UNAUTHORIZED')),
      }).fetch,
    )

    await expect(
      queryClient.fetchQuery({
        queryKey: ['list'],
        queryFn: () => client.task.list.query({ limit: 1 }),
      }),
    ).rejects.toThrow('UNAUTHORIZED')
    await expect(
      queryClient
        .getMutationCache()
        .build(queryClient, { mutationFn: () => client.task.create.mutate({ title: 'x' }) })
        .execute(undefined),
    ).rejects.toThrow('UNAUTHORIZED')

    expect(onSessionExpired).toHaveBeenCalledTimes(2)
  })

  it('does not retry client errors, and leaves other errors alone', async () => {
    const onSessionExpired = vi.fn()
    const queryClient = createQueryClient(onSessionExpired)
    const server = fakeTrpcServer({
      'task.list': query(() => trpcError(404, 'NOT_FOUND', 'Task not found')),
    })
    const client = createApiClient(server.fetch)

    await expect(
      queryClient.fetchQuery({
        queryKey: ['list'],
        queryFn: () => client.task.list.query({ limit: 1 }),
        retry: queryClient.getDefaultOptions().queries?.retry,
      }),
    ).rejects.toThrow('Task not found')

    expect(server.calls).toHaveLength(1)
    expect(onSessionExpired).not.toHaveBeenCalled()
  })
})
