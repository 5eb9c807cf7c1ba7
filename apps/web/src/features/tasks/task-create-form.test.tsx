import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { fakeTrpcServer, mutation, query, trpcError } from '../../test/fake-trpc-server'
import { renderWithApi } from '../../test/render'
import { aTask } from '../../test/tasks'
import { TaskCreateForm } from './task-create-form'

/** The element that describes an input (its error message), as assistive technology finds it. */
function descriptionOf(input: HTMLElement): string {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? []
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ')
}

describe('TaskCreateForm', () => {
  it("shows the server's field errors under the fields they belong to", async () => {
    const server = fakeTrpcServer({
      'task.create': mutation(() =>
        trpcError(400, 'BAD_REQUEST', '[...]', {
          formErrors: [],
          fieldErrors: {
            title: ['Too big: expected string to have <=200 characters'],
            description: ['Invalid input: expected string'],
          },
        }),
      ),
    })
    renderWithApi(<TaskCreateForm />, server)

    await userEvent.type(screen.getByLabelText('Title'), 'Plant tomatoes')
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }))

    const title = screen.getByLabelText('Title')
    await waitFor(() => expect(title.getAttribute('aria-invalid')).toBe('true'))
    expect(descriptionOf(title)).toBe('Too big: expected string to have <=200 characters')
    expect(descriptionOf(screen.getByLabelText('Description (optional)'))).toBe(
      'Invalid input: expected string',
    )
    expect(server.calls).toEqual([{ path: 'task.create', input: { title: 'Plant tomatoes' } }])
  })

  it('checks the title itself before asking the server', async () => {
    const server = fakeTrpcServer({})
    renderWithApi(<TaskCreateForm />, server)

    await userEvent.click(screen.getByRole('button', { name: 'Add task' }))

    expect(descriptionOf(screen.getByLabelText('Title'))).toBe('Enter a title.')
    expect(screen.getByLabelText('Title')).toBe(document.activeElement)
    expect(server.calls).toEqual([])
  })

  it('creates the task, clears the form and refreshes the list', async () => {
    const server = fakeTrpcServer({
      'task.create': mutation((input) => ({
        data: aTask({ ...(input as { title: string; description?: string }) }),
      })),
      'task.list': query(() => ({ data: { items: [], nextCursor: null } })),
    })
    renderWithApi(<TaskCreateForm />, server)

    await userEvent.type(screen.getByLabelText('Title'), 'Plant tomatoes')
    await userEvent.type(screen.getByLabelText('Description (optional)'), 'In May')
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }))

    expect(await screen.findByText('Added “Plant tomatoes”.')).toBeTruthy()
    expect(screen.getByLabelText('Title')).toHaveProperty('value', '')
    expect(server.calls[0]).toEqual({
      path: 'task.create',
      input: { title: 'Plant tomatoes', description: 'In May' },
    })
  })
})
