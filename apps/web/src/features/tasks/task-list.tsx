import { useInfiniteQuery } from '@tanstack/react-query'
import { useCallback, useRef } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { Spinner } from '../../components/ui/spinner'
import { messageOf } from '../../lib/errors'
import { useTRPC } from '../../lib/trpc'
import { TaskItem } from './task-item'
import { taskListOptions } from './task-queries'
import { useInfiniteScroll } from './use-infinite-scroll'

function TaskListSkeleton() {
  return (
    <div aria-busy="true" className="space-y-2">
      <span className="sr-only">Loading tasks…</span>
      {[0, 1, 2].map((row) => (
        <div key={row} className="h-12 animate-pulse rounded-md bg-gray-200 dark:bg-gray-800" />
      ))}
    </div>
  )
}

function EmptyTasks() {
  return (
    <div className="rounded-md border border-dashed border-gray-300 p-8 text-center dark:border-gray-700">
      <p className="font-medium">No tasks yet</p>
      <p className="text-sm text-gray-600 dark:text-gray-400">Add your first one above.</p>
    </div>
  )
}

export function TaskList() {
  const trpc = useTRPC()
  const tasks = useInfiniteQuery(taskListOptions(trpc))
  const sentinel = useRef<HTMLDivElement>(null)
  const { fetchNextPage } = tasks
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage])
  useInfiniteScroll(sentinel, {
    enabled: tasks.hasNextPage && !tasks.isFetchingNextPage,
    loadMore,
  })

  if (tasks.isPending) return <TaskListSkeleton />
  if (tasks.isError) {
    return (
      <Alert tone="error" title="Could not load your tasks">
        <p>{messageOf(tasks.error)}</p>
        <Button variant="secondary" size="sm" className="mt-2" onClick={() => tasks.refetch()}>
          Retry
        </Button>
      </Alert>
    )
  }

  const items = tasks.data.pages.flatMap((page) => page.items)
  if (items.length === 0) return <EmptyTasks />

  return (
    <div className="space-y-3">
      <ul aria-label="Tasks" className="space-y-2">
        {items.map((task) => (
          <TaskItem key={task.id} task={task} />
        ))}
      </ul>
      <div ref={sentinel} className="flex justify-center">
        {tasks.isFetchingNextPage ? <Spinner label="Loading more…" /> : null}
        {tasks.hasNextPage && !tasks.isFetchingNextPage ? (
          <Button variant="secondary" size="sm" onClick={loadMore}>
            Load more
          </Button>
        ) : null}
      </div>
    </div>
  )
}
