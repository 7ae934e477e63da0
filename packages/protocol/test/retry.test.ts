import { describe, expect, it } from 'vitest'
import { backoffMs, parseRetryAfter, retryWaitMs, type RetryPolicy } from '../src'

const policy: RetryPolicy = { attempts: 5, baseMs: 100, maxMs: 1_000 }
const top = () => 0.999_999
const bottom = () => 0

describe('backoffMs', () => {
  it('grows the ceiling by factor per retry and caps it at maxMs', () => {
    const ceilings = [0, 1, 2, 3, 4, 5].map((retry) => backoffMs({ ...policy, jitter: 'none' }, retry))
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000])
    expect(backoffMs({ ...policy, factor: 3, jitter: 'none' }, 2)).toBe(900)
  })

  it('draws full jitter (the default) in [0, ceiling] and equal jitter in [ceiling/2, ceiling]', () => {
    expect(backoffMs(policy, 2, bottom)).toBe(0)
    expect(backoffMs(policy, 2, top)).toBeCloseTo(400, 2)
    expect(backoffMs({ ...policy, jitter: 'equal' }, 2, bottom)).toBe(200)
    expect(backoffMs({ ...policy, jitter: 'equal' }, 2, top)).toBeCloseTo(400, 2)
  })
})

describe('retryWaitMs', () => {
  it('waits at least what the server asked for, never past maxMs', () => {
    expect(retryWaitMs(policy, 0, 700, bottom)).toBe(700)
    expect(retryWaitMs(policy, 0, 5_000, bottom)).toBe(1_000)
    expect(retryWaitMs(policy, 0, undefined, bottom)).toBe(0)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-10-21T07:28:00Z')

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })

  it('reads the IMF and RFC 850 HTTP-date forms, counted from now, and a past date as 0', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wednesday, 21-Oct-26 07:29:00 GMT', now)).toBe(60_000)
    expect(parseRetryAfter('Tue, 20 Oct 2026 07:28:00 GMT', now)).toBe(0)
  })

  it('ignores what is neither', () => {
    for (const value of [null, undefined, '', '1.5', '-3', 'soon', '12abc']) {
      expect(parseRetryAfter(value, now)).toBeUndefined()
    }
  })
})
