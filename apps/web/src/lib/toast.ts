import { useSyncExternalStore } from 'react'

export interface Toast {
  id: number
  kind: 'success' | 'error' | 'info'
  message: string
}

type Listener = () => void
let toasts: Toast[] = []
let nextId = 1
const listeners = new Set<Listener>()
const DISMISS_AFTER_MS = 5000

function emit() {
  for (const listener of listeners) listener()
}

function show(kind: Toast['kind'], message: string) {
  const id = nextId++
  toasts = [...toasts, { id, kind, message }]
  emit()
  setTimeout(() => dismiss(id), kind === 'error' ? DISMISS_AFTER_MS * 2 : DISMISS_AFTER_MS)
  return id
}

export function dismiss(id: number) {
  toasts = toasts.filter((toast) => toast.id !== id)
  emit()
}

/** Usable anywhere, also outside React (e.g. the query client's global error handler). */
export const toast = {
  success: (message: string) => show('success', message),
  error: (message: string) => show('error', message),
  info: (message: string) => show('info', message),
  clear: () => {
    toasts = []
    emit()
  },
}

function subscribe(listener: Listener) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useToasts(): Toast[] {
  return useSyncExternalStore(subscribe, () => toasts)
}
