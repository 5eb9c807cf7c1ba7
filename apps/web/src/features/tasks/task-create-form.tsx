import { type FormEvent, useRef, useState } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { TextField } from '../../components/ui/text-field'
import { type FieldErrors, messageOf, serverFieldErrors } from '../../lib/errors'
import { titleProblems } from './task-queries'
import { useCreateTask } from './use-task-mutations'

export function TaskCreateForm() {
  const createTask = useCreateTask()
  const titleRef = useRef<HTMLInputElement>(null)
  const [ownErrors, setOwnErrors] = useState<FieldErrors>({})
  const errors = { ...serverFieldErrors(createTask.error), ...ownErrors }
  // Field problems go under their fields; anything else (network, server) gets one message.
  const formMessage =
    createTask.error && !createTask.error.data?.zodError ? messageOf(createTask.error) : null

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const data = new FormData(form)
    const title = String(data.get('title') ?? '')
    const description = String(data.get('description') ?? '')
    const problems = titleProblems(title)
    setOwnErrors(problems ? { title: problems } : {})
    if (problems) {
      titleRef.current?.focus()
      return
    }
    createTask.mutate(
      { title, ...(description ? { description } : {}) },
      {
        onSuccess: () => {
          form.reset()
          titleRef.current?.focus()
        },
      },
    )
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-label="New task" className="space-y-3">
      <TextField
        ref={titleRef}
        label="Title"
        name="title"
        autoComplete="off"
        maxLength={400}
        errors={errors.title}
      />
      <TextField
        label="Description (optional)"
        name="description"
        autoComplete="off"
        errors={errors.description}
      />
      {formMessage ? <Alert tone="error">{formMessage}</Alert> : null}
      <Button type="submit" pending={createTask.isPending}>
        Add task
      </Button>
    </form>
  )
}
