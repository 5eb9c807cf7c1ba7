import { type FormEvent, type KeyboardEvent, useState } from 'react'
import { Button } from '../../components/ui/button'
import { TextField } from '../../components/ui/text-field'
import type { Task } from '../../lib/api-types'
import { messageOf, serverFieldErrors } from '../../lib/errors'
import { titleProblems } from './task-queries'
import { useRenameTask } from './use-task-mutations'

/** Inline title editing: Enter saves, Escape cancels. */
export function TaskTitleEditor({ task, onDone }: { task: Task; onDone: () => void }) {
  const renameTask = useRenameTask()
  const [title, setTitle] = useState(task.title)
  const [ownErrors, setOwnErrors] = useState<string[] | undefined>()
  const errors =
    ownErrors ??
    serverFieldErrors(renameTask.error).title ??
    (renameTask.error ? [messageOf(renameTask.error)] : undefined)

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const problems = titleProblems(title)
    setOwnErrors(problems)
    if (problems) return
    if (title === task.title) return onDone()
    renameTask.mutate({ id: task.id, title }, { onSuccess: onDone })
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      onDone()
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-1 flex-wrap items-start gap-2">
      <TextField
        label={`New title for “${task.title}”`}
        name="title"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={onKeyDown}
        errors={errors}
        autoFocus
        autoComplete="off"
        className="min-w-48 flex-1 [&_label]:sr-only"
      />
      <Button type="submit" size="sm" pending={renameTask.isPending}>
        Save
      </Button>
      <Button variant="ghost" size="sm" onClick={onDone}>
        Cancel
      </Button>
    </form>
  )
}
