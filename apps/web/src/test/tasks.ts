import type { Task } from '../lib/api-types'

export function aTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'task-1',
    title: 'Buy milk',
    description: null,
    done: false,
    createdAt: '2026-11-24T19:33:43.349Z',
    updatedAt: '2026-11-24T19:33:43.349Z',
    ...overrides,
  }
}
