import { type ChangeEvent, useId } from 'react'
import { setTheme, type Theme, useTheme } from '../lib/theme'
import { inputClasses } from './ui/text-field'

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
        className={`${inputClasses} h-8 w-auto py-0`}
      >
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  )
}
