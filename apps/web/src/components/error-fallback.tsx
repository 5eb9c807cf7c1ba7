import { useQueryErrorResetBoundary } from '@tanstack/react-query'
import { type ErrorComponentProps, useRouter } from '@tanstack/react-router'
import { messageOf } from '../lib/errors'
import { Alert } from './ui/alert'
import { Button } from './ui/button'
import { PageHeading } from './ui/page-heading'

/** Route-level error boundary: explains, and lets the user try again without a full reload. */
export function ErrorFallback({ error, reset }: ErrorComponentProps) {
  const router = useRouter()
  const queryReset = useQueryErrorResetBoundary()

  const retry = () => {
    queryReset.reset()
    reset()
    void router.invalidate()
  }

  return (
    <div className="space-y-4">
      <PageHeading>Something went wrong</PageHeading>
      <Alert tone="error">{messageOf(error)}</Alert>
      <Button onClick={retry}>Try again</Button>
    </div>
  )
}
