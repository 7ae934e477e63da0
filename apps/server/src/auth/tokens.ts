import { createHmac, timingSafeEqual } from 'node:crypto'
import { assertKey } from '../channels/validate'

/**
 * Subscribe tokens: `v1.<expiry in epoch seconds>.<HMAC-SHA256 of key and expiry, base64url>`.
 * The key is not in the token but in the URL it is used with, so a token works for exactly one key and
 * shows nothing to whoever reads it.
 */
export interface SubscribeToken {
  readonly token: string
  /** ISO 8601. */
  readonly expiresAt: string
}

export type TokenCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' }

export interface TokenOptions {
  /** Defaults to `$KIT_TOKEN_SECRET`. */
  readonly secret?: string
  /** Clock, in epoch ms (tests). */
  readonly now?: number
}

const VERSION = 'v1'
const SHAPE = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/

function secretOf(options: TokenOptions): string {
  const secret = options.secret ?? process.env.KIT_TOKEN_SECRET
  if (!secret) throw new Error('no token secret: pass { secret } or set KIT_TOKEN_SECRET')
  return secret
}

const mac = (secret: string, key: string, exp: string): Buffer =>
  createHmac('sha256', secret).update(`subscribe\n${key}\n${exp}`).digest()

/** Mints a token that lets its bearer subscribe to `key` for `ttlSeconds`. */
export function mintSubscribeToken(
  key: string,
  ttlSeconds: number,
  options: TokenOptions = {},
): SubscribeToken {
  assertKey(key)
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
    throw new RangeError('ttlSeconds must be a positive integer')
  const expSeconds = Math.floor((options.now ?? Date.now()) / 1000) + ttlSeconds
  const exp = String(expSeconds)
  const token = `${VERSION}.${exp}.${mac(secretOf(options), key, exp).toString('base64url')}`
  return { token, expiresAt: new Date(expSeconds * 1000).toISOString() }
}

export function verifySubscribeToken(token: string, key: string, options: TokenOptions = {}): TokenCheck {
  const match = SHAPE.exec(token)
  if (!match) return { ok: false, reason: 'malformed' }
  const [, exp = '', signature = ''] = match
  // Compared as text, not decoded: the last of 43 base64url characters carries 2 unused bits, so decoding
  // would take four spellings of one signature. Only the canonical one is the token.
  const expected = Buffer.from(mac(secretOf(options), key, exp).toString('base64url'))
  if (!timingSafeEqual(Buffer.from(signature), expected)) return { ok: false, reason: 'forged' }
  if (Number(exp) * 1000 <= (options.now ?? Date.now())) return { ok: false, reason: 'expired' }
  return { ok: true }
}
