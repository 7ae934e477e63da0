import { ErrorCode } from '@kit/protocol'
import { describe, expect, it } from 'vitest'
import { ProviderError } from '../../src/providers/errors'
import { keyFingerprint } from '../../src/providers/keys/fingerprint'
import { KeyPool } from '../../src/providers/keys/key-pool'

const refused = new ProviderError({
  code: ErrorCode.ProviderAuth,
  message: 'acct refused the credentials (401)',
  retriable: false,
  provider: 'acct',
})
const busy = new ProviderError({
  code: ErrorCode.RateLimited,
  message: 'acct is rate limiting',
  retriable: true,
  retry: true,
  provider: 'acct',
})

function pool() {
  let now = 1_000_000
  const keys = new KeyPool(
    ['a', 'b'].map((id) => ({ id, value: id })),
    { baseMs: 100, maxMs: 300 },
    () => now,
  )
  return { keys, tick: (ms: number) => (now += ms) }
}

const take = (keys: KeyPool<string>) => keys.acquire()?.value

describe('KeyPool', () => {
  it('hands keys out in turn while they are healthy', () => {
    const { keys } = pool()
    expect([take(keys), take(keys), take(keys)]).toEqual(['a', 'b', 'a'])
    expect(keys.health().map((k) => k.uses)).toEqual([2, 1])
  })

  it('takes a refused key out of rotation and probes it again after a doubling back-off, up to maxMs', () => {
    const { keys, tick } = pool()
    keys.acquire()!.failed(refused)
    expect(keys.health()[0]).toMatchObject({ state: 'down', errors: 1, lastError: { code: 'provider_auth' } })
    expect([take(keys), take(keys)]).toEqual(['b', 'b'])

    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const health = keys.health()[0]!
      waits.push(Date.parse(health.retryAt!) - Date.parse(health.lastError!.at))
      tick(waits.at(-1)!)
      const probe = keys.acquire()!
      expect(probe.value).toBe('a')
      expect(keys.health()[0]!.state).toBe('probing')
      // Nobody else gets a key that is being probed.
      expect(take(keys)).toBe('b')
      probe.failed(refused)
    }
    expect(waits).toEqual([100, 200, 300, 300])
  })

  it('puts a key back after a probe that succeeds, with its back-off reset', () => {
    const { keys, tick } = pool()
    keys.acquire()!.failed(refused)
    tick(100)
    expect(take(keys)).toBe('b')
    const probe = keys.acquire()!
    expect(probe.value).toBe('a')
    probe.succeeded()
    expect(keys.health()[0]).toMatchObject({ state: 'healthy', retryAt: null })
    expect(take(keys)).toBe('b')
    keys.acquire()!.failed(refused)
    const health = keys.health()[0]!
    expect(Date.parse(health.retryAt!) - Date.parse(health.lastError!.at)).toBe(100)
  })

  it('keeps a key in rotation after failures that are not about the key', () => {
    const { keys } = pool()
    keys.acquire()!.failed(busy)
    expect(keys.health()[0]).toMatchObject({
      state: 'healthy',
      errors: 1,
      lastError: { code: 'rate_limited' },
    })
  })

  it('leaves an abandoned probe due again rather than stuck in probing', () => {
    const { keys, tick } = pool()
    keys.acquire()!.failed(refused)
    tick(100)
    keys.acquire()!.release()
    expect(keys.health()[0]!.state).toBe('down')
    expect(take(keys)).toBe('a')
  })

  it('answers nothing when every key is out, and says when the first comes back', () => {
    const { keys } = pool()
    keys.acquire()!.failed(refused)
    keys.acquire()!.failed(refused)
    expect(keys.acquire()).toBeUndefined()
    const error = keys.exhausted('acct')
    expect(error).toMatchObject({ code: ErrorCode.ProviderAuth, retriable: false })
    expect(error.message).toMatch(/every key is out of rotation; the first is tried again in 1 s/)
  })

  it('names keys by a short fingerprint that does not contain them', () => {
    const id = keyFingerprint('sk-live-0123456789abcdef')
    expect(id).toMatch(/^[0-9a-f]{12}$/)
    expect(id).toBe(keyFingerprint('sk-live-0123456789abcdef'))
    expect(id).not.toBe(keyFingerprint('sk-live-0123456789abcdeg'))
  })
})
