import { Link, type LinkProps } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { focusRing } from '../../components/ui/focus-ring'
import { cn } from '../../lib/cn'

export function AuthLink(props: LinkProps & { children: ReactNode }) {
  return (
    <Link
      {...props}
      className={cn(
        'rounded font-medium text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300',
        focusRing,
      )}
    />
  )
}
