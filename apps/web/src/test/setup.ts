import { cleanup } from '@testing-library/react'
import { afterEach, vi } from 'vitest'
import { toast } from '../lib/toast'

afterEach(() => {
  cleanup()
  toast.clear()
  vi.unstubAllGlobals()
})
