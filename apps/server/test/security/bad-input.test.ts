import { ErrorCode } from '@kit/protocol'
import { describe, expect, it } from 'vitest'
import { HTTP_STATUS } from '../../src/index'
import { useKitHarness } from '../chat/harness'
import type { TestServer } from '../support/server'

const kit = useKitHarness()
const ALICE = { 'x-kit-user': 'alice-browser-0001' }
const JSON_TYPE = { 'content-type': 'application/json' }

interface Case {
  readonly method: string
  readonly path: string
  readonly headers?: Record<string, string>
  readonly body?: string
  readonly code: ErrorCode
}

/**
 * Bad input for each route of the kit, keyed by the route as Express knows it; a route added without a
 * case fails the first test. Routes that take no input get a path beside them.
 */
function casesFor(s: TestServer): Record<string, readonly Case[]> {
  const publisher = { ...JSON_TYPE, authorization: `Bearer ${s.config.publishSecret}` }
  const deep = `{"data":${'['.repeat(100)}${']'.repeat(100)}}`
  return {
    'GET /healthz': [{ method: 'GET', path: '/healthz/%ZZ', code: ErrorCode.NotFound }],
    'GET /metrics': [{ method: 'GET', path: '/metrics/%ZZ', code: ErrorCode.NotFound }],
    'GET /api/providers/keys': [{ method: 'GET', path: '/api/providers/keys', code: ErrorCode.Unauthorized }],
    'GET /api/quota': [
      { method: 'GET', path: '/api/quota?provider=nope', headers: ALICE, code: ErrorCode.UnknownProvider },
    ],
    'GET /api/quotas/bonus': [{ method: 'GET', path: '/api/quotas/bonus', code: ErrorCode.Unauthorized }],
    'POST /api/quotas/bonus': [
      { method: 'POST', path: '/api/quotas/bonus', code: ErrorCode.Unauthorized },
      {
        method: 'POST',
        path: '/api/quotas/bonus',
        headers: { ...JSON_TYPE, ...publisher },
        body: '{"userId":"u","model":"m","amount":"many"}',
        code: ErrorCode.ValidationFailed,
      },
    ],
    'POST /api/moderation/reload': [
      { method: 'POST', path: '/api/moderation/reload', code: ErrorCode.Unauthorized },
    ],
    'POST /api/events/tokens': [
      {
        method: 'POST',
        path: '/api/events/tokens',
        headers: JSON_TYPE,
        body: '{}',
        code: ErrorCode.Unauthorized,
      },
      {
        method: 'POST',
        path: '/api/events/tokens',
        headers: publisher,
        body: '{"key":"a b"}',
        code: ErrorCode.ValidationFailed,
      },
      {
        method: 'POST',
        path: '/api/events/tokens',
        headers: publisher,
        body: '{"key":',
        code: ErrorCode.BadRequest,
      },
    ],
    'GET /api/events/:key': [
      { method: 'GET', path: '/api/events/a%20b?token=x', code: ErrorCode.InvalidKey },
      { method: 'GET', path: '/api/events/ok?token=v1.1.x', code: ErrorCode.Unauthorized },
      { method: 'GET', path: '/api/events/%E0%A4%A', code: ErrorCode.BadRequest },
    ],
    'POST /api/events/:key': [
      {
        method: 'POST',
        path: '/api/events/ok',
        headers: publisher,
        body: '{"event":"Bad Name","data":1}',
        code: ErrorCode.ValidationFailed,
      },
      { method: 'POST', path: '/api/events/ok', headers: publisher, body: deep, code: ErrorCode.JsonTooDeep },
      {
        method: 'POST',
        path: '/api/events/a%20b',
        headers: publisher,
        body: '{"data":1}',
        code: ErrorCode.InvalidKey,
      },
      {
        method: 'POST',
        path: '/api/events/ok',
        headers: { ...publisher, 'content-type': 'application/json; charset=latin2' },
        body: '{}',
        code: ErrorCode.UnsupportedMediaType,
      },
      {
        method: 'POST',
        path: '/api/events/ok',
        headers: publisher,
        body: `{"data":"${'x'.repeat(200_000)}"}`,
        code: ErrorCode.PayloadTooLarge,
      },
    ],
    'POST /api/events/:key/complete': [
      { method: 'POST', path: '/api/events/a%20b/complete', headers: publisher, code: ErrorCode.InvalidKey },
      { method: 'POST', path: '/api/events/ok/complete', code: ErrorCode.Unauthorized },
    ],
    'POST /api/events/:key/error': [
      {
        method: 'POST',
        path: '/api/events/ok/error',
        headers: publisher,
        body: '{"code":7}',
        code: ErrorCode.ValidationFailed,
      },
    ],
    'POST /api/demo/payments': [
      {
        method: 'POST',
        path: '/api/demo/payments',
        headers: JSON_TYPE,
        body: '{"amount":-1}',
        code: ErrorCode.ValidationFailed,
      },
    ],
    'POST /api/chat': [
      {
        method: 'POST',
        path: '/api/chat',
        headers: { ...JSON_TYPE, ...ALICE },
        body: '{"prompt":7}',
        code: ErrorCode.ValidationFailed,
      },
      {
        method: 'POST',
        path: '/api/chat',
        headers: { ...JSON_TYPE, ...ALICE },
        body: '{"prompt":"x","provider":"nope"}',
        code: ErrorCode.UnknownProvider,
      },
      {
        method: 'POST',
        path: '/api/chat',
        headers: { ...JSON_TYPE, ...ALICE },
        body: '[',
        code: ErrorCode.BadRequest,
      },
    ],
    'GET /api/chat': [
      { method: 'GET', path: '/api/chat?provider=fake', headers: ALICE, code: ErrorCode.ValidationFailed },
      {
        method: 'GET',
        path: '/api/chat?prompt=x',
        headers: { ...ALICE, 'sec-fetch-site': 'cross-site' },
        code: ErrorCode.Forbidden,
      },
    ],
    'GET /api/chat/streams/:streamId': [
      { method: 'GET', path: '/api/chat/streams/a%20b', headers: ALICE, code: ErrorCode.InvalidKey },
    ],
    'POST /api/chat/streams/:streamId/stop': [
      { method: 'POST', path: '/api/chat/streams/a%20b/stop', headers: ALICE, code: ErrorCode.InvalidKey },
      { method: 'POST', path: '/api/chat/streams/nobody/stop', headers: ALICE, code: ErrorCode.NotFound },
    ],
    'POST /api/chat/completions': [
      {
        method: 'POST',
        path: '/api/chat/completions',
        headers: { ...JSON_TYPE, ...ALICE },
        body: '{"prompt":"x","model":"nope"}',
        code: ErrorCode.UnknownModel,
      },
      {
        method: 'POST',
        path: '/api/chat/completions',
        headers: { ...JSON_TYPE, ...ALICE },
        body: '{"prompt":"x","template":"nope"}',
        code: ErrorCode.UnknownTemplate,
      },
    ],
    'GET /api/conversations': [
      { method: 'GET', path: '/api/conversations?limit=0', headers: ALICE, code: ErrorCode.ValidationFailed },
    ],
    'GET /api/conversations/:id': [
      { method: 'GET', path: '/api/conversations/none', headers: ALICE, code: ErrorCode.NotFound },
    ],
    'DELETE /api/conversations/:id': [
      { method: 'DELETE', path: '/api/conversations/none', headers: ALICE, code: ErrorCode.NotFound },
    ],
    'GET /api/usage': [
      { method: 'GET', path: '/api/usage?from=yesterday', headers: ALICE, code: ErrorCode.ValidationFailed },
    ],
    'GET /api/providers': [{ method: 'GET', path: '/api/providers/%ZZ', code: ErrorCode.NotFound }],
    'POST /api/images': [
      {
        method: 'POST',
        path: '/api/images',
        headers: { ...JSON_TYPE, ...ALICE },
        body: '{"n":1000}',
        code: ErrorCode.ValidationFailed,
      },
    ],
    'GET /api/images/download': [
      { method: 'GET', path: '/api/images/download?n=x', headers: ALICE, code: ErrorCode.ValidationFailed },
    ],
  }
}

/** Every `METHOD path` the kit router serves, as Express lists them. */
function routesOf(s: TestServer): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> } }
  const stack = (s.router as unknown as { stack: Layer[] }).stack
  return stack.flatMap(({ route }) =>
    route ? Object.keys(route.methods).map((m) => `${m.toUpperCase()} ${route.path}`) : [],
  )
}

describe('every route answers bad input with its status and {error:{code,message}}', () => {
  it('has cases for every route of the kit', async () => {
    const s = await kit.server()
    expect(routesOf(s).sort()).toEqual(Object.keys(casesFor(s)).sort())
  })

  it('answers each case with the code it names and that code’s status', async () => {
    const s = await kit.server()
    const answers: unknown[] = []
    const expected: unknown[] = []
    for (const [route, cases] of Object.entries(casesFor(s))) {
      for (const { method, path, headers, body, code } of cases) {
        const res = await fetch(s.url + path, { method, headers, body })
        const text = await res.text()
        let json: unknown = text
        try {
          json = JSON.parse(text)
        } catch {
          // Left as text: the comparison shows it.
        }
        answers.push({ route, path, status: res.status, json })
        expected.push({
          route,
          path,
          status: HTTP_STATUS[code],
          json: { error: { code, message: expect.any(String) } },
        })
      }
    }
    expect(answers).toEqual(expected)
  })
})
