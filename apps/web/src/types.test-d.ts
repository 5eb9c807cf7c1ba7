/**
 * Type-level tests, checked by `tsc -b` (never executed): calls that match the generated AppRouter
 * compile, and every `@ts-expect-error` below must stay an error — if one starts compiling, tsc fails.
 */
import type { TRPCClient } from '@trpc/client'
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
import type { AppRouter } from './generated/app-router'
import type { Task, TaskListOutput } from './lib/api-types'
import type { Trpc } from './lib/trpc'

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const assertType = <T extends true>(_proof?: T) => {}

type Inputs = inferRouterInputs<AppRouter>
type Outputs = inferRouterOutputs<AppRouter>

// The contract of example-app.md §3-§4, written out: the generated file may name its types freely.
type TaskShape = {
  id: string
  title: string
  description: string | null
  done: boolean
  createdAt: string
  updatedAt: string
}
assertType<Equals<{ [K in keyof Task]: Task[K] }, TaskShape>>()
assertType<Equals<Outputs['task']['list']['items'][number], Task>>()
assertType<Equals<Outputs['task']['list']['nextCursor'], string | null>>()
assertType<Equals<Outputs['task']['update'], Task>>()
assertType<Equals<Outputs['task']['delete']['id'], string>>()
assertType<Equals<Outputs['health']['ping']['pong'], true>>()
assertType<Equals<Inputs['task']['list']['limit'], number>>()
assertType<Equals<Inputs['task']['list']['cursor'], string | undefined>>()
assertType<Equals<Inputs['task']['create']['description'], string | undefined>>()
assertType<Equals<Inputs['task']['update']['done'], boolean | undefined>>()

export async function vanillaClientCalls(client: TRPCClient<AppRouter>) {
  const page: TaskListOutput = await client.task.list.query({ limit: 20 })
  const next = await client.task.list.query({ limit: 20, cursor: page.nextCursor ?? undefined })
  const created: Task = await client.task.create.mutate({ title: 'Write tests' })
  await client.task.update.mutate({ id: created.id, done: true })
  const { id }: { id: string } = await client.task.delete.mutate({ id: created.id })
  const pong: true = (await client.health.ping.query()).pong

  // @ts-expect-error `limit` is required
  await client.task.list.query({})
  // @ts-expect-error `limit` is a number
  await client.task.list.query({ limit: '20' })
  // @ts-expect-error `title` is a string
  await client.task.create.mutate({ title: 42 })
  // @ts-expect-error unknown input key
  await client.task.create.mutate({ title: 'x', priority: 1 })
  // @ts-expect-error unknown procedure
  await client.task.archive.mutate({ id })
  // @ts-expect-error a query has no `.mutate`
  await client.task.list.mutate({ limit: 20 })
  // @ts-expect-error a mutation has no `.query`
  await client.task.create.query({ title: 'x' })
  // @ts-expect-error outputs have no `userId`
  created.userId
  // @ts-expect-error `nextCursor` is `string | null`, not a number
  const wrongCursor: number = next.nextCursor

  return [pong, wrongCursor]
}

export function optionsProxyCalls(trpc: Trpc) {
  trpc.task.list.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor })
  trpc.task.update.mutationOptions({ onSuccess: (task) => task.done satisfies boolean })
  trpc.task.list.pathFilter()

  // @ts-expect-error wrong input type for the query options
  trpc.task.list.queryOptions({ limit: 'many' })
  // @ts-expect-error queries have no mutationOptions
  trpc.task.list.mutationOptions()
  trpc.task.create.mutationOptions({
    // @ts-expect-error the created task has no `owner`
    onSuccess: (task) => task.owner,
  })
}

export function errorShape(error: import('@trpc/client').TRPCClientError<AppRouter>) {
  const fieldErrors: Record<string, string[] | undefined> | undefined =
    error.data?.zodError?.fieldErrors
  const status: number | undefined = error.data?.httpStatus
  // @ts-expect-error `zodError` carries no `issues`
  error.data?.zodError?.issues
  return [fieldErrors, status]
}
