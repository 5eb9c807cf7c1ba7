import { useSyncExternalStore } from 'react'

export type Theme = 'light' | 'dark' | 'system'
const STORAGE_KEY = 'tandem.theme'
// `matchMedia` is missing in some embedded browsers (and jsdom): then 'system' means light.
const darkQuery = (): MediaQueryList | undefined =>
  window.matchMedia?.('(prefers-color-scheme: dark)')

function readTheme(): Theme {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'light' || saved === 'dark' ? saved : 'system'
}

function applyTheme(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && darkQuery()?.matches === true)
  document.documentElement.classList.toggle('dark', dark)
}

const listeners = new Set<() => void>()

function subscribe(listener: () => void) {
  listeners.add(listener)
  const query = darkQuery()
  const onSystemChange = () => applyTheme(readTheme())
  query?.addEventListener('change', onSystemChange)
  return () => {
    listeners.delete(listener)
    query?.removeEventListener('change', onSystemChange)
  }
}

export function setTheme(theme: Theme) {
  if (theme === 'system') localStorage.removeItem(STORAGE_KEY)
  else localStorage.setItem(STORAGE_KEY, theme)
  applyTheme(theme)
  for (const listener of listeners) listener()
}

export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, readTheme, () => 'system')
}
