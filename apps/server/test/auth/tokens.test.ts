import { describe, expect, it } from 'vitest'
import { InvalidKeyError, mintSubscribeToken, verifySubscribeToken } from '../../src/index'

const secret = 'a-token-secret-of-enough-length-0123456789'
const now = Date.UTC(2030, 0, 1)

describe('subscribe tokens', () => {
  it('verify for their key until they expire', () => {
    const { token, expiresAt } = mintSubscribeToken('order-1', 60, { secret, now })
    expect(token).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/)
    expect(expiresAt).toBe(new Date(now + 60_000).toISOString())
    expect(verifySubscribeToken(token, 'order-1', { secret, now: now + 59_000 })).toEqual({ ok: true })
    expect(verifySubscribeToken(token, 'order-1', { secret, now: now + 60_000 })).toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  it('do not work for another key, another secret, or when tampered with', () => {
    const { token } = mintSubscribeToken('order-1', 60, { secret, now })
    expect(verifySubscribeToken(token, 'order-2', { secret, now })).toEqual({ ok: false, reason: 'forged' })
    expect(verifySubscribeToken(token, 'order-1', { secret: `${secret}x`, now })).toEqual({
      ok: false,
      reason: 'forged',
    })
    const [version, exp, mac] = token.split('.')
    const later = `${version}.${Number(exp) + 3600}.${mac}`
    expect(verifySubscribeToken(later, 'order-1', { secret, now })).toEqual({ ok: false, reason: 'forged' })
    for (const bad of ['', 'v1', `v2.${exp}.${mac}`, `${token}=`, `v1.${exp}.${mac?.slice(1)}`]) {
      expect(verifySubscribeToken(bad, 'order-1', { secret, now })).toEqual({
        ok: false,
        reason: 'malformed',
      })
    }
  })

  it('refuse bad keys, bad TTLs and a missing secret', () => {
    expect(() => mintSubscribeToken('no spaces', 60, { secret })).toThrow(InvalidKeyError)
    expect(() => mintSubscribeToken('k', 0, { secret })).toThrow(RangeError)
    expect(() => mintSubscribeToken('k', 1.5, { secret })).toThrow(RangeError)
    const saved = process.env.KIT_TOKEN_SECRET
    delete process.env.KIT_TOKEN_SECRET
    try {
      expect(() => mintSubscribeToken('k', 60)).toThrow(/KIT_TOKEN_SECRET/)
      process.env.KIT_TOKEN_SECRET = secret
      const { token } = mintSubscribeToken('k', 60)
      expect(verifySubscribeToken(token, 'k', { secret })).toEqual({ ok: true })
    } finally {
      if (saved === undefined) delete process.env.KIT_TOKEN_SECRET
      else process.env.KIT_TOKEN_SECRET = saved
    }
  })
})
