import { SignJWT, type JWTPayload } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'

const SECRET = 'a-jwt-secret-of-at-least-32-characters!'
const DAY = 24 * 3600
const YEAR = 365 * DAY
const nowSeconds = () => Math.floor(Date.now() / 1000)

let server: TestServer
let strict: TestServer

beforeAll(async () => {
  const chat = (auth: Record<string, unknown>) => ({
    storage: { path: ':memory:' },
    auth: { mode: 'jwt' as const, jwtSecret: SECRET, ...auth },
  })
  server = await startTestServer({ chat: chat({}) })
  strict = await startTestServer({ chat: chat({ maxLifetimeSeconds: 600, clockSkewSeconds: 0 }) })
})

afterAll(async () => {
  await server.close()
  await strict.close()
})

/** Signs exactly the claims given, relative to now (seconds). */
const sign = ({ iat, exp, ...rest }: { iat?: number; exp?: number } & JWTPayload) => {
  const jwt = new SignJWT({ sub: 'carol', ...rest }).setProtectedHeader({ alg: 'HS256' })
  if (iat !== undefined) jwt.setIssuedAt(nowSeconds() + iat)
  if (exp !== undefined) jwt.setExpirationTime(nowSeconds() + exp)
  return jwt.sign(new TextEncoder().encode(SECRET))
}

async function answer(token: string, s = server) {
  const res = await fetch(`${s.url}/api/conversations`, { headers: { authorization: `Bearer ${token}` } })
  const body = (await res.json()) as { error?: { code: string; message: string } }
  return { status: res.status, message: body.error?.message }
}

describe('JWT mode bounds what a token may claim', () => {
  it('accepts a token with an expiry within the bounds', async () => {
    expect(await answer(await sign({ iat: 0, exp: 300 }))).toEqual({ status: 200, message: undefined })
    expect(await answer(await sign({ exp: 300 }))).toMatchObject({ status: 200 })
    // Issued a little ahead or expired a little ago: the issuer's clock may be off by the skew (60 s).
    expect(await answer(await sign({ iat: 30, exp: 300 }))).toMatchObject({ status: 200 })
    expect(await answer(await sign({ iat: -600, exp: -30 }))).toMatchObject({ status: 200 })
  })

  it('refuses a token without exp', async () => {
    expect(await answer(await sign({ iat: 0 }))).toEqual({
      status: 401,
      message: 'the token has no expiry (exp)',
    })
  })

  it('refuses an iat a year ahead', async () => {
    expect(await answer(await sign({ iat: YEAR, exp: YEAR + 300 }))).toEqual({
      status: 401,
      message: 'the token is issued in the future (iat)',
    })
  })

  it('refuses a lifetime over the bound, with or without iat', async () => {
    const tooLong = { status: 401, message: `the token lives longer than ${DAY} s` }
    expect(await answer(await sign({ iat: 0, exp: YEAR }))).toEqual(tooLong)
    expect(await answer(await sign({ exp: DAY + 120 }))).toEqual(tooLong)
    expect(await answer(await sign({ iat: -DAY, exp: 120 }))).toEqual(tooLong)
  })

  it('refuses a token expired longer ago than the skew', async () => {
    expect(await answer(await sign({ iat: -600, exp: -120 }))).toEqual({
      status: 401,
      message: 'the token has expired',
    })
  })

  it('takes its bounds from the configuration', async () => {
    expect(await answer(await sign({ iat: 0, exp: 300 }), strict)).toMatchObject({ status: 200 })
    expect(await answer(await sign({ iat: 0, exp: 3600 }), strict)).toMatchObject({ status: 401 })
    expect(await answer(await sign({ iat: 5, exp: 300 }), strict)).toMatchObject({ status: 401 })
  })

  it('refuses a signature spelled any other way than its canonical base64url', async () => {
    const token = await sign({ exp: 300 })
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const index = alphabet.indexOf(token.at(-1) ?? '')
    for (const low of [0, 1, 2, 3]) {
      const twin = alphabet[(index & ~3) | low] ?? ''
      const expected = twin === token.at(-1) ? 200 : 401
      expect(await answer(token.slice(0, -1) + twin)).toMatchObject({ status: expected })
    }
  })
})
