import { type InputHTMLAttributes, type Ref, useId } from 'react'
import { cn } from '../../lib/cn'
import { focusRing } from './focus-ring'

const inputClasses = cn(
  'block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm text-gray-900 placeholder:text-gray-500',
  'aria-invalid:border-red-700 dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100 dark:placeholder:text-gray-400 dark:aria-invalid:border-red-400',
  focusRing,
)

export interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string
  name: string
  ref?: Ref<HTMLInputElement>
  /** Messages shown under the field, from our own checks or from the server. */
  errors?: string[] | undefined
  hint?: string
}

export function TextField({ label, errors, hint, className, id, ...input }: TextFieldProps) {
  const generatedId = useId()
  const inputId = id ?? generatedId
  const hintId = `${inputId}-hint`
  const errorId = `${inputId}-error`
  const invalid = Boolean(errors?.length)
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ')

  return (
    <div className={cn('space-y-1', className)}>
      <label htmlFor={inputId} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={inputId}
        className={inputClasses}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-gray-600 dark:text-gray-400">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors?.join(' ')}
        </p>
      ) : null}
    </div>
  )
}
