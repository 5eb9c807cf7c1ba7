import { type ChangeEvent, useId } from 'react'
import { cn } from '../lib/cn'
import { setTheme, type Theme, useTheme } from '../lib/theme'
import { focusRing } from './ui/focus-ring'

export function ThemeToggle() {
  const theme = useTheme()
  const id = useId()
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Theme
      </label>
      <select
        id={id}
        value={theme}
        onChange={(event: ChangeEvent<HTMLSelectElement>) => setTheme(event.target.value as Theme)}
        className={cn(
          'h-8 rounded-md border border-gray-300 bg-white px-2 text-sm text-gray-900 dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100',
          focusRing,
        )}
      >
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  )
}
