import { Alert } from '../../components/ui/alert'
import { Button } from '../../components/ui/button'
import { Card } from '../../components/ui/card'
import { Spinner } from '../../components/ui/spinner'
import { messageOf } from '../../lib/errors'
import { toast } from '../../lib/toast'
import { describeDevice } from './describe-device'
import { useActiveSessions, useRevokeSession } from './use-account'

const formatDate = (value: Date | string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  )

export function SessionsList({ currentToken }: { currentToken: string }) {
  const sessions = useActiveSessions()
  const revokeSession = useRevokeSession()

  return (
    <Card title="Active sessions" description="Devices where you are signed in.">
      {sessions.isPending ? <Spinner label="Loading sessions…" /> : null}
      {sessions.isError ? <Alert tone="error">{messageOf(sessions.error)}</Alert> : null}
      {sessions.data ? (
        <ul aria-label="Sessions" className="divide-y divide-gray-200 dark:divide-gray-800">
          {sessions.data.map((session) => {
            const current = session.token === currentToken
            const device = describeDevice(session.userAgent)
            return (
              <li key={session.id} className="flex flex-wrap items-center gap-3 py-3">
                <div className="min-w-0 flex-1 text-sm">
                  <p className="font-medium">
                    {device}
                    {current ? (
                      <span className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100">
                        This device
                      </span>
                    ) : null}
                  </p>
                  <p className="text-gray-600 dark:text-gray-400">
                    IP {session.ipAddress || 'unknown'} · last active{' '}
                    {formatDate(session.updatedAt)}
                  </p>
                </div>
                {current ? null : (
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Revoke session: ${device}, last active ${formatDate(session.updatedAt)}`}
                    pending={revokeSession.isPending && revokeSession.variables === session.token}
                    onClick={() =>
                      revokeSession.mutate(session.token, {
                        onSuccess: () => toast.success('Session revoked.'),
                        onError: (error) => toast.error(messageOf(error)),
                      })
                    }
                  >
                    Revoke
                  </Button>
                )}
              </li>
            )
          })}
        </ul>
      ) : null}
    </Card>
  )
}
