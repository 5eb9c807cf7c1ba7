import { Link, Outlet } from '@tanstack/react-router'
import { cn } from '../lib/cn'
import { useSession } from '../lib/session'
import { SignOutButton } from './sign-out-button'
import { ThemeToggle } from './theme-toggle'
import { Toaster } from './toaster'
import { focusRing } from './ui/focus-ring'
import { useFocusOnNavigate } from './use-focus-on-navigate'

const navLink = cn(
  'rounded px-2 py-1 text-sm font-medium text-gray-700 hover:text-gray-950 dark:text-gray-300 dark:hover:text-white',
  focusRing,
)
const activeNavLink = 'text-indigo-700 underline underline-offset-4 dark:text-indigo-300'

function MainNav() {
  const { data: session } = useSession()
  if (!session) return null
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      <Link to="/tasks" className={navLink} activeProps={{ className: activeNavLink }}>
        Tasks
      </Link>
      <Link to="/settings" className={navLink} activeProps={{ className: activeNavLink }}>
        Settings
      </Link>
      <SignOutButton />
    </nav>
  )
}

export function AppShell() {
  useFocusOnNavigate()
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className={cn(
          'sr-only rounded bg-white px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 dark:bg-gray-900',
          focusRing,
        )}
      >
        Skip to content
      </a>
      <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
        <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <Link to="/" className={cn('text-lg font-bold', focusRing)}>
            Tandem Tasks
          </Link>
          <div className="flex items-center gap-2">
            <MainNav />
            <ThemeToggle />
          </div>
        </div>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-3xl flex-1 px-4 py-8 outline-none"
      >
        <Outlet />
      </main>
      <Toaster />
    </div>
  )
}
