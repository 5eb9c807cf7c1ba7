import { type ReactNode, useId } from 'react'
import { cn } from '../../lib/cn'

/** A titled section; the heading labels the region for screen readers. */
export function Card({
  title,
  description,
  children,
  className,
}: {
  title: string
  description?: string
  children: ReactNode
  className?: string
}) {
  const headingId = useId()
  return (
    <section
      aria-labelledby={headingId}
      className={cn(
        'rounded-lg border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900',
        className,
      )}
    >
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? (
        <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">{description}</p>
      ) : null}
      <div className="mt-4">{children}</div>
    </section>
  )
}
