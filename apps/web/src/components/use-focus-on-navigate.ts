import { useRouterState } from '@tanstack/react-router'
import { useEffect, useRef } from 'react'

/**
 * After a client-side navigation, screen-reader and keyboard users land on the new page's heading
 * (or `main`), as they would after a full page load. The first render is left alone.
 */
export function useFocusOnNavigate() {
  const pathname = useRouterState({ select: (state) => state.location.pathname })
  const status = useRouterState({ select: (state) => state.status })
  const previous = useRef<string | null>(null)

  useEffect(() => {
    if (status !== 'idle') return
    if (previous.current === null) {
      previous.current = pathname
      return
    }
    if (previous.current === pathname) return
    previous.current = pathname
    const target =
      document.querySelector<HTMLElement>('[data-page-heading]') ?? document.getElementById('main')
    target?.focus()
  }, [pathname, status])
}
