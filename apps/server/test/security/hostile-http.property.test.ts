import fc from 'fast-check'
import { ErrorCode } from '@kit/protocol'
import { beforeAll, describe, expect, it } from 'vitest'
import { HTTP_STATUS } from '../../src/index'
import { useKitHarness } from '../chat/harness'
import type { TestServer } from '../support/server'
import { exchange, rawRequest, type RawResponse } from './support/raw-http'

const kit = useKitHarness()
let server: TestServer

beforeAll(async () => {
  server = await kit.server()
})

// Anything a header value may carry on the wire but CR and LF, which would end it.
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  fc
    .array(
      fc.integer({ min: 0, max: 255 }).filter((b) => b !== 10 && b !== 13),
      { maxLength: 20 },
    )
    .map((bytes) => String.fromCharCode(...bytes)),
)
const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '..', '%00', 'a'.repeat(200), 'tokens', '%2F'),
)
const token = fc.oneof(
  fc.constantFrom('', 'v1', 'v1.1.', 'v1.99999999999.AAAA'),
  fc.string({ maxLength: 60 }),
  fc.tuple(fc.nat(), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([exp, mac]) => `v1.${exp}.${mac}`),
)
const nested = fc.integer({ min: 1, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`)
const shapedBody = fc.record(
  {
    prompt: fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue()),
    data: fc.jsonValue(),
    event: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('status', 'done', 'error')),
    key: segment,
    ttlSeconds: fc.oneof(fc.integer(), fc.double()),
    code: fc.string({ maxLength: 10 }),
    messages: fc.jsonValue(),
    amount: fc.jsonValue(),
    n: fc.jsonValue(),
    provider: fc.constantFrom('fake', 'demo', 'nope'),
  },
  { requiredKeys: [] },
)
const body = fc.oneof(
  shapedBody.map((b) => JSON.stringify(b)),
  fc.json({ maxDepth: 4 }),
  nested.map((n) => `{"data":${n}}`),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constant(''),
)
const path = fc.oneof(
  fc.tuple(segment, token).map(([k, t]) => `/api/events/${k}?token=${encodeURIComponent(t)}`),
  // A valid token, so that the stream itself is reached.
  fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/).map((k) => `/api/events/${k}?token=VALID`),
  segment.map((k) => `/api/events/${k}`),
  segment.map((k) => `/api/events/${k}/complete`),
  segment.map((k) => `/api/events/${k}/error`),
  fc.constantFrom(
    '/api/events/tokens',
    '/api/chat',
    '/api/chat/completions',
    '/api/images',
    '/api/demo/payments',
  ),
  segment.map((k) => `/api/chat/streams/${k}`),
  fc
    .tuple(fc.string({ maxLength: 20 }), segment)
    .map(([p, f]) => `/api/chat?prompt=${encodeURIComponent(p)}&format=${f}`),
  segment.map((k) => `/api/chat/streams/${k}/stop`),
  fc.tuple(segment, segment).map(([a, b]) => `/api/conversations/${a}?limit=${b}`),
  fc.tuple(segment, segment).map(([a, b]) => `/api/usage?from=${a}&to=${b}`),
  segment.map((q) => `/api/images/download?n=${q}`),
  segment.map((p) => `/${p}`),
)
const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'PUT', 'OPTIONS'),
  path,
  body: fc.option(body, { nil: undefined }),
  contentType: fc.option(
    fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-16',
        'text/plain',
        'application/json; charset=latin1',
      ),
      headerValue,
    ),
    { nil: undefined },
  ),
  authorization: fc.option(
    fc.oneof(
      fc.constant('publisher'),
      headerValue,
      token.map((t) => `Bearer ${t}`),
    ),
    { nil: undefined },
  ),
  extra: fc.dictionary(
    fc.constantFrom('Last-Event-ID', 'X-Kit-User', 'Cookie', 'Origin', 'Content-Encoding', 'Accept-Encoding'),
    headerValue,
    { maxKeys: 3 },
  ),
})

type Hostile = typeof request extends fc.Arbitrary<infer T> ? T : never

function bytesOf(r: Hostile): Buffer {
  const headers: Record<string, string> = { ...r.extra }
  if (r.contentType !== undefined) headers['Content-Type'] = r.contentType
  if (r.authorization !== undefined)
    headers.Authorization =
      r.authorization === 'publisher' ? `Bearer ${server.config.publishSecret}` : r.authorization
  const path = r.path.replace(/^\/api\/events\/([^?]+)\?token=VALID$/, (_, key: string) => {
    const url = new URL(server.eventsUrl(key))
    return url.pathname + url.search
  })
  return rawRequest(r.method, path, headers, r.body === undefined ? undefined : Buffer.from(r.body, 'latin1'))
}

const isStream = (r: RawResponse) => r.headers['content-type']?.startsWith('text/event-stream') === true
const SERVER_SIDE: readonly string[] = [
  ErrorCode.ProviderUnavailable,
  ErrorCode.ProviderError,
  ErrorCode.BusUnavailable,
]

/** What must hold of the server's answer to any request. */
function expectSound(method: string, first: RawResponse | undefined, second: RawResponse | undefined): void {
  expect(first, 'an answer').toBeDefined()
  if (!first) return
  expect(first.status).not.toBe(500)
  const json = first.headers['content-type']?.startsWith('application/json') && first.complete
  if (first.status >= 400 && json && first.body !== '') {
    const { error } = JSON.parse(first.body) as { error: { code: ErrorCode; message: string } }
    expect(typeof error.message).toBe('string')
    expect(HTTP_STATUS[error.code]).toBe(first.status)
    if (first.status >= 500) expect(SERVER_SIDE).toContain(error.code)
  }
  // A connection the server keeps after a whole answer serves the next request in line.
  const open = isStream(first) && method !== 'HEAD'
  if (first.complete && !open && first.headers.connection !== 'close') {
    expect(second?.status).toBe(200)
    expect(JSON.parse(second?.body ?? '')).toMatchObject({ status: 'ok' })
  }
}

describe('the HTTP API under random and hostile requests', () => {
  it('never answers 500, never hangs, never writes outside HTTP framing', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { responses } = await exchange(server.port, [bytesOf(r), rawRequest('GET', '/healthz')], {
          timeoutMs: 2_000,
          // An event stream does not end: its head and first frame are enough.
          until: (got) => got[0] !== undefined && isStream(got[0]) && got[0].body.length > 0,
        })
        const [first, second] = responses
        // A HEAD stream has no body to wait for: its head, then the next answer.
        if (first && isStream(first) && r.method !== 'HEAD') expect(first.body).toMatch(/^retry: /)
        expectSound(r.method, first, second)
      }),
      { numRuns: 300 },
    )
  }, 60_000)
})
