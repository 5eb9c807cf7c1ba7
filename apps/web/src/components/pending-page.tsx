import { Spinner } from './ui/spinner'

export function PendingPage() {
  return (
    <div className="flex justify-center py-12 text-gray-600 dark:text-gray-400">
      <Spinner label="Loading…" />
    </div>
  )
}
