import { cn } from '../lib/cn'
import { dismiss, type Toast, useToasts } from '../lib/toast'
import { focusRing } from './ui/focus-ring'

const tones: Record<Toast['kind'], string> = {
  success: 'border-green-300 dark:border-green-800',
  error: 'border-red-300 dark:border-red-800',
  info: 'border-gray-300 dark:border-gray-700',
}

/** Polite announcements for results, assertive ones for errors. */
export function Toaster() {
  const toasts = useToasts()
  return (
    <section
      aria-label="Notifications"
      className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role={toast.kind === 'error' ? 'alert' : 'status'}
          className={cn(
            'pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-md border bg-white p-3 text-sm shadow-lg dark:bg-gray-900',
            tones[toast.kind],
          )}
        >
          <p className="flex-1">{toast.message}</p>
          <button
            type="button"
            onClick={() => dismiss(toast.id)}
            className={cn(
              'rounded px-1 text-gray-600 hover:text-gray-900 dark:text-gray-400',
              focusRing,
            )}
            aria-label="Dismiss notification"
          >
            ×
          </button>
        </div>
      ))}
    </section>
  )
}
