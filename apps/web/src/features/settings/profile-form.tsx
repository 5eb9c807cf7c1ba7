import type { FormEvent } from 'react'
import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { Card } from '../../components/ui/card'
import { TextField } from '../../components/ui/text-field'
import { messageOf } from '../../lib/errors'
import type { User } from '../../lib/session'
import { toast } from '../../lib/toast'
import { useUpdateProfile } from './use-account'

export function ProfileForm({ user }: { user: User }) {
  const updateProfile = useUpdateProfile()

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const image = String(data.get('image') ?? '').trim()
    updateProfile.mutate(
      { name: String(data.get('name') ?? ''), image: image || null },
      { onSuccess: () => toast.success('Profile saved.') },
    )
  }

  return (
    <Card title="Profile">
      <form noValidate onSubmit={onSubmit} className="space-y-4">
        <TextField label="Name" name="name" autoComplete="name" defaultValue={user.name} />
        <TextField
          label="Image URL"
          name="image"
          type="url"
          autoComplete="photo"
          placeholder="https://…"
          defaultValue={user.image ?? ''}
        />
        {updateProfile.isError ? (
          <Alert tone="error">{messageOf(updateProfile.error)}</Alert>
        ) : null}
        <Button type="submit" pending={updateProfile.isPending}>
          Save profile
        </Button>
      </form>
    </Card>
  )
}
