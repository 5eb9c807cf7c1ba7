import type { ReactNode } from 'react'

/** The page's h1; it receives focus after each navigation (see `useFocusOnNavigate`). */
export function PageHeading({ children }: { children: ReactNode }) {
  return (
    <h1
      tabIndex={-1}
      data-page-heading=""
      className="text-2xl font-bold tracking-tight outline-none"
    >
      {children}
    </h1>
  )
}
