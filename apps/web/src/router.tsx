import type { QueryClient } from '@tanstack/react-query'
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  type RouterHistory,
  redirect,
} from '@tanstack/react-router'
import { AppShell } from './components/app-shell'
import { ErrorFallback } from './components/error-fallback'
import { NotFound } from './components/not-found'
import { PendingPage } from './components/pending-page'
import { taskListOptions } from './features/tasks/task-queries'
import { sessionQueryOptions } from './lib/session'
import type { Trpc } from './lib/trpc'

export interface RouterContext {
  queryClient: QueryClient
  trpc: Trpc
}

/** Only same-site paths: `?redirect=https://evil.example` must not become an open redirect. */
export function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : undefined
}

const optionalString = (value: unknown) => (typeof value === 'string' && value ? value : undefined)

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppShell,
  notFoundComponent: NotFound,
  errorComponent: ErrorFallback,
})

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/tasks' })
  },
})

/** Pages behind this layout need a session; signed-out visitors go to sign-in and come back after. */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQueryOptions)
    if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } })
    return { session }
  },
})

const tasksRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'tasks',
  loader: ({ context }) => context.queryClient.prefetchInfiniteQuery(taskListOptions(context.trpc)),
  component: lazyRouteComponent(() => import('./features/tasks/tasks-page'), 'TasksPage'),
})

const settingsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: 'settings',
  component: lazyRouteComponent(() => import('./features/settings/settings-page'), 'SettingsPage'),
})

/** Sign-in and sign-up make no sense with a session: go where the user was heading. */
async function leaveIfSignedIn(queryClient: QueryClient, target: string | undefined) {
  // If the session cannot be checked (API down), signing in is still the right page to show.
  const session = await queryClient.ensureQueryData(sessionQueryOptions).catch(() => null)
  if (session) throw redirect({ href: target ?? '/tasks' })
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string; error?: string } => ({
    redirect: safeRedirect(search.redirect),
    error: optionalString(search.error),
  }),
  beforeLoad: ({ context, search }) => leaveIfSignedIn(context.queryClient, search.redirect),
  component: lazyRouteComponent(() => import('./features/auth/sign-in-page'), 'SignInPage'),
})

const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-up',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: safeRedirect(search.redirect),
  }),
  beforeLoad: ({ context, search }) => leaveIfSignedIn(context.queryClient, search.redirect),
  component: lazyRouteComponent(() => import('./features/auth/sign-up-page'), 'SignUpPage'),
})

const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'forgot-password',
  component: lazyRouteComponent(
    () => import('./features/auth/forgot-password-page'),
    'ForgotPasswordPage',
  ),
})

const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'reset-password',
  validateSearch: (search: Record<string, unknown>): { token?: string; error?: string } => ({
    token: optionalString(search.token),
    error: optionalString(search.error),
  }),
  component: lazyRouteComponent(
    () => import('./features/auth/reset-password-page'),
    'ResetPasswordPage',
  ),
})

const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'verify-email',
  validateSearch: (search: Record<string, unknown>): { error?: string } => ({
    error: optionalString(search.error),
  }),
  component: lazyRouteComponent(
    () => import('./features/auth/verify-email-page'),
    'VerifyEmailPage',
  ),
})

const routeTree = rootRoute.addChildren([
  indexRoute,
  signedInRoute.addChildren([tasksRoute, settingsRoute]),
  signInRoute,
  signUpRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  verifyEmailRoute,
])

export function createAppRouter(context: RouterContext, history?: RouterHistory) {
  return createRouter({
    routeTree,
    context,
    ...(history ? { history } : {}),
    defaultPreload: 'intent',
    // Route data lives in TanStack Query; the router should always ask it.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PendingPage,
    scrollRestoration: true,
  })
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
