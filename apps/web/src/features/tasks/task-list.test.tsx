import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../lib/api-types'
import {
  deferred,
  fakeTrpcServer,
  mutation,
  query,
  type Reply,
  trpcError,
} from '../../test/fake-trpc-server'
import { renderWithApi } from '../../test/render'
import { aTask } from '../../test/tasks'
import { TaskList } from './task-list'

function listOf(tasks: Task[], nextCursor: string | null = null) {
  return query(() => ({ data: { items: tasks, nextCursor } }))
}

describe('TaskList', () => {
  it('shows the empty state when there are no tasks', async () => {
    renderWithApi(<TaskList />, fakeTrpcServer({ 'task.list': listOf([]) }))
    expect(await screen.findByText('No tasks yet')).toBeTruthy()
  })

  it('ticks a task at once and keeps it ticked when the server agrees', async () => {
    const reply = deferred<Reply>()
    const server = fakeTrpcServer({
      'task.list': listOf([aTask()]),
      'task.update': mutation(() => reply.promise),
    })
    renderWithApi(<TaskList />, server)

    const checkbox = await screen.findByRole('checkbox', { name: 'Buy milk' })
    await userEvent.click(checkbox)
    expect(checkbox).toHaveProperty('checked', true)

    reply.resolve({ data: aTask({ done: true }) })
    await waitFor(() => expect(server.calls.map((call) => call.path)).toContain('task.update'))
    expect(server.calls.find((call) => call.path === 'task.update')?.input).toEqual({
      id: 'task-1',
      done: true,
    })
  })

  it('rolls the optimistic tick back and says so when the server refuses', async () => {
    const reply = deferred<Reply>()
    const server = fakeTrpcServer({
      'task.list': listOf([aTask()]),
      'task.update': mutation(() => reply.promise),
    })
    renderWithApi(<TaskList />, server)

    const checkbox = await screen.findByRole('checkbox', { name: 'Buy milk' })
    await userEvent.click(checkbox)
    expect(checkbox).toHaveProperty('checked', true)

    reply.resolve(trpcError(500, 'INTERNAL_SERVER_ERROR', 'boom'))

    await waitFor(() => expect(checkbox).toHaveProperty('checked', false))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Could not update the task.')
  })

  it('loads the next page with the cursor from the previous one', async () => {
    const firstPage = Array.from({ length: 20 }, (_, i) =>
      aTask({ id: `t${i + 1}`, title: `Task ${i + 1}` }),
    )
    const server = fakeTrpcServer({
      'task.list': query((input) => {
        const { cursor } = input as { cursor?: string }
        return cursor
          ? { data: { items: [aTask({ id: 't21', title: 'Task 21' })], nextCursor: null } }
          : { data: { items: firstPage, nextCursor: 't20' } }
      }),
    })
    renderWithApi(<TaskList />, server)

    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }))

    expect(await screen.findByRole('checkbox', { name: 'Task 21' })).toBeTruthy()
    expect(screen.getAllByRole('checkbox')).toHaveLength(21)
    expect(server.calls.map((call) => call.input)).toEqual([
      { limit: 20, direction: 'forward' },
      { limit: 20, cursor: 't20', direction: 'forward' },
    ])
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull()
  })
})
