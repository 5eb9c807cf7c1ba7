import { useMutation, useQueryClient } from '@tanstack/react-query'
import { isSessionExpired, messageOf } from '../../lib/errors'
import { toast } from '../../lib/toast'
import { useTRPC } from '../../lib/trpc'
import { removeTaskFromPages, type TaskPages, updateTaskInPages } from './task-queries'

export function useCreateTask() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  return useMutation(
    trpc.task.create.mutationOptions({
      onSuccess: async (task) => {
        toast.success(`Added “${task.title}”.`)
        await queryClient.invalidateQueries(trpc.task.list.pathFilter())
      },
    }),
  )
}

/** Flips `done` at once; puts the old state back if the server says no. */
export function useToggleTask() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const lists = trpc.task.list.pathFilter()
  return useMutation(
    trpc.task.update.mutationOptions({
      onMutate: async ({ id, done }) => {
        await queryClient.cancelQueries(lists)
        const snapshot = queryClient.getQueriesData<TaskPages>(lists)
        queryClient.setQueriesData<TaskPages>(lists, (pages) =>
          updateTaskInPages(pages, id, (task) => ({ ...task, done: done ?? task.done })),
        )
        return { snapshot }
      },
      onError: (error, _input, context) => {
        for (const [queryKey, pages] of context?.snapshot ?? []) {
          queryClient.setQueryData(queryKey, pages)
        }
        // An ended session has its own message (and a trip to sign-in); no second toast for it.
        if (!isSessionExpired(error)) toast.error(`Could not update the task. ${messageOf(error)}`)
      },
      onSettled: () => queryClient.invalidateQueries(lists),
    }),
  )
}

export function useRenameTask() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  return useMutation(
    trpc.task.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueriesData<TaskPages>(trpc.task.list.pathFilter(), (pages) =>
          updateTaskInPages(pages, updated.id, () => updated),
        )
        toast.success('Task renamed.')
      },
    }),
  )
}

export function useDeleteTask() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  return useMutation(
    trpc.task.delete.mutationOptions({
      onSuccess: async ({ id }) => {
        queryClient.setQueriesData<TaskPages>(trpc.task.list.pathFilter(), (pages) =>
          removeTaskFromPages(pages, id),
        )
        toast.success('Task deleted.')
        await queryClient.invalidateQueries(trpc.task.list.pathFilter())
      },
      onError: (error) => {
        if (!isSessionExpired(error)) toast.error(`Could not delete the task. ${messageOf(error)}`)
      },
    }),
  )
}
