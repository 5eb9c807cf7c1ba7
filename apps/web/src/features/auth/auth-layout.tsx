import type { ReactNode } from 'react'
import { PageHeading } from '../../components/ui/page-heading'

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <PageHeading>{title}</PageHeading>
      <div className="space-y-4 rounded-lg border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
        {children}
      </div>
    </div>
  )
}
