import { type RefObject, useEffect } from 'react'

/** Calls `loadMore` when the sentinel element scrolls into view (a "Load more" button stays as fallback). */
export function useInfiniteScroll(
  sentinel: RefObject<HTMLElement | null>,
  { enabled, loadMore }: { enabled: boolean; loadMore: () => void },
) {
  useEffect(() => {
    const element = sentinel.current
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore()
      },
      { rootMargin: '200px' },
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [sentinel, enabled, loadMore])
}
