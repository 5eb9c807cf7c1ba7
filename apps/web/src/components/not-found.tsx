import { Link } from '@tanstack/react-router'
import { buttonClasses } from './ui/button'
import { PageHeading } from './ui/page-heading'

export function NotFound() {
  return (
    <div className="space-y-4">
      <PageHeading>Page not found</PageHeading>
      <p className="text-gray-700 dark:text-gray-300">There is nothing at this address.</p>
      <Link to="/" className={buttonClasses('secondary')}>
        Go to the start page
      </Link>
    </div>
  )
}
