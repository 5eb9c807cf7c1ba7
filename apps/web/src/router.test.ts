import { describe, expect, it } from 'vitest'
import { describeDevice } from './features/settings/describe-device'
import { safeRedirect } from './router'

describe('safeRedirect', () => {
  it('keeps paths on this site and drops everything else', () => {
    expect(safeRedirect('/tasks?page=2')).toBe('/tasks?page=2')
    expect(safeRedirect('//evil.example/x')).toBeUndefined()
    expect(safeRedirect('https://evil.example')).toBeUndefined()
    expect(safeRedirect(42)).toBeUndefined()
  })
})

describe('describeDevice', () => {
  it('names browser and system from a user agent', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux')
    expect(
      describeDevice(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Safari/604.1',
      ),
    ).toBe('Safari on iOS')
    expect(describeDevice(null)).toBe('Unknown device')
  })
})
