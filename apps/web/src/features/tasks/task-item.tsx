import { useId, useRef, useState } from 'react'
import { Button } from '../../components/ui/button'
import { checkboxClasses } from '../../components/ui/checkbox-field'
import { ConfirmDialog } from '../../components/ui/confirm-dialog'
import type { Task } from '../../lib/api-types'
import { cn } from '../../lib/cn'
import { TaskTitleEditor } from './task-title-editor'
import { useDeleteTask, useToggleTask } from './use-task-mutations'

export function TaskItem({ task }: { task: Task }) {
  const toggleTask = useToggleTask()
  const deleteTask = useDeleteTask()
  const [editing, setEditing] = useState(false)
  const [confirmingDelete, setConfirmingDelete] = useState(false)
  const editButton = useRef<HTMLButtonElement>(null)
  const checkboxId = useId()

  const stopEditing = () => {
    setEditing(false)
    requestAnimationFrame(() => editButton.current?.focus())
  }

  return (
    <li className="flex flex-wrap items-center gap-3 rounded-md border border-gray-200 bg-white px-4 py-3 dark:border-gray-800 dark:bg-gray-900">
      <input
        id={checkboxId}
        type="checkbox"
        className={checkboxClasses}
        checked={task.done}
        onChange={() => toggleTask.mutate({ id: task.id, done: !task.done })}
      />
      {editing ? (
        <TaskTitleEditor task={task} onDone={stopEditing} />
      ) : (
        <>
          <div className="min-w-0 flex-1">
            <label
              htmlFor={checkboxId}
              className={cn(
                'block break-words',
                task.done && 'text-gray-600 line-through dark:text-gray-400',
              )}
            >
              {task.title}
            </label>
            {task.description ? (
              <p className="break-words text-sm text-gray-600 dark:text-gray-400">
                {task.description}
              </p>
            ) : null}
          </div>
          <Button
            ref={editButton}
            variant="ghost"
            size="sm"
            onClick={() => setEditing(true)}
            aria-label={`Edit “${task.title}”`}
          >
            Edit
          </Button>
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setConfirmingDelete(true)}
            aria-label={`Delete “${task.title}”`}
          >
            Delete
          </Button>
        </>
      )}
      <ConfirmDialog
        open={confirmingDelete}
        title="Delete this task?"
        confirmLabel="Delete"
        pending={deleteTask.isPending}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() =>
          deleteTask.mutate({ id: task.id }, { onSettled: () => setConfirmingDelete(false) })
        }
      >
        “{task.title}” will be gone for good.
      </ConfirmDialog>
    </li>
  )
}
