import { type InputHTMLAttributes, useId } from 'react'
import { cn } from '../../lib/cn'
import { focusRing } from './focus-ring'

export const checkboxClasses = cn('size-4 rounded accent-indigo-600', focusRing)

export interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  label: string
}

export function CheckboxField({ label, id, className, ...input }: CheckboxFieldProps) {
  const generatedId = useId()
  const inputId = id ?? generatedId
  return (
    <div className={cn('flex items-center gap-2', className)}>
      <input id={inputId} type="checkbox" className={checkboxClasses} {...input} />
      <label htmlFor={inputId} className="text-sm">
        {label}
      </label>
    </div>
  )
}
