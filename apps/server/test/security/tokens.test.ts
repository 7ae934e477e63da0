import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintSubscribeToken, verifySubscribeToken } from '../../src/index'
import { startTestServer, type TestServer } from '../support/server'

const secret = 'a-token-secret-of-enough-length-0123456789'
const now = Date.UTC(2030, 0, 1)
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const mint = (key: string) => mintSubscribeToken(key, 60, { secret, now }).token
const verify = (token: string, key: string) => verifySubscribeToken(token, key, { secret, now })

describe('subscribe tokens accept only their canonical spelling', () => {
  it('refuses every other last character of the signature', () => {
    // The 43rd character carries 2 unused bits: decoding alone would take 3 other spellings.
    for (const key of ['order-1', 'order-2', 'k', 'pay_x', 'a-b-c-d']) {
      const token = mint(key)
      const accepted = [...BASE64URL].filter((c) => verify(token.slice(0, -1) + c, key).ok)
      expect(accepted, key).toEqual([token.at(-1)])
    }
  })

  it('refuses any single changed character, anywhere', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
        fc.nat(),
        fc.constantFrom(...BASE64URL, '.', '=', '+', '/', '0', '9'),
        (key, at, replacement) => {
          const token = mint(key)
          const i = at % token.length
          fc.pre(token[i] !== replacement)
          const changed = token.slice(0, i) + replacement + token.slice(i + 1)
          expect(verify(changed, key).ok).toBe(false)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('over HTTP', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('a token with a non-canonical last character answers 401', async () => {
    const token = server.token('canon-1')
    const last = token.at(-1) ?? ''
    // Same 6-bit group's high 4 bits: the bits that count stay equal, only the unused 2 differ.
    const index = BASE64URL.indexOf(last)
    const twins = [0, 1, 2, 3].map((low) => BASE64URL[(index & ~3) | low]).filter((c) => c !== last)
    expect(twins).toHaveLength(3)
    for (const twin of twins) {
      const res = await fetch(server.eventsUrl('canon-1', token.slice(0, -1) + twin))
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } })
    }
  })
})
