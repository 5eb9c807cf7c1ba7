import type { InfiniteData } from '@tanstack/react-query'
import type { Task, TaskListOutput } from '../../lib/api-types'
import type { Trpc } from '../../lib/trpc'

export const PAGE_SIZE = 20

/** The task list, newest first, 20 at a time (cursor = id of the last task of the previous page). */
export function taskListOptions(trpc: Trpc) {
  return trpc.task.list.infiniteQueryOptions(
    { limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor },
  )
}

export type TaskPages = InfiniteData<TaskListOutput, string | null>

export function updateTaskInPages(
  pages: TaskPages | undefined,
  id: string,
  change: (task: Task) => Task,
): TaskPages | undefined {
  if (!pages) return pages
  return {
    ...pages,
    pages: pages.pages.map((page) => ({
      ...page,
      items: page.items.map((task) => (task.id === id ? change(task) : task)),
    })),
  }
}

export function removeTaskFromPages(pages: TaskPages | undefined, id: string) {
  if (!pages) return pages
  return {
    ...pages,
    pages: pages.pages.map((page) => ({
      ...page,
      items: page.items.filter((task) => task.id !== id),
    })),
  }
}

/** Our own check before the server's: same rule as the server (1..200 code points), friendlier words. */
export function titleProblems(title: string): string[] | undefined {
  if (title.trim() === '') return ['Enter a title.']
  if ([...title].length > 200) return ['Keep the title to 200 characters or fewer.']
  return undefined
}
