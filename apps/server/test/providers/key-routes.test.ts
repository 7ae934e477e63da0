import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keyFingerprint } from '../../src/providers/keys/fingerprint'
import type { ProviderKeysResponse } from '../../src/providers/keys/routes'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { PUBLISH_SECRET, startTestServer, type TestServer } from '../support/server'

const GOOD = 'sk-live-good-0123456789'
const DEAD = 'sk-live-dead-9876543210'

let fake: FakeOpenAI
let server: TestServer

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKeys: [GOOD] })
  server = await startTestServer({
    chat: {
      storage: { path: ':memory:' },
      providers: [
        { type: 'openai', name: 'acct', apiKeys: [DEAD, GOOD], baseUrl: fake.url, retry: { attempts: 0 } },
      ],
    },
  })
  const res = await fetch(`${server.url}/api/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'hello' }),
  })
  expect(res.status).toBe(200)
})
afterAll(async () => {
  await server.close()
  await fake.close()
})

describe('key health for operators', () => {
  it('shows on /metrics per instance and key fingerprint, never the key', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text()
    const dead = `provider="acct",key="${keyFingerprint(DEAD)}"`
    const good = `provider="acct",key="${keyFingerprint(GOOD)}"`
    expect(text).toContain(`kit_provider_key_up{${dead}} 0`)
    expect(text).toContain(`kit_provider_key_up{${good}} 1`)
    expect(text).toContain(`kit_provider_key_requests_total{${good}} 1`)
    expect(text).toContain(`kit_provider_key_errors_total{${dead}} 1`)
    expect(text).toMatch(new RegExp(`kit_provider_key_last_error_timestamp_seconds\\{${dead}\\} \\d+`))
    expect(text).not.toContain('sk-live')
  })

  it('details each key on GET /api/providers/keys, behind the publish secret', async () => {
    expect((await fetch(`${server.url}/api/providers/keys`)).status).toBe(401)
    const res = await fetch(`${server.url}/api/providers/keys`, {
      headers: { authorization: `Bearer ${PUBLISH_SECRET}` },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as ProviderKeysResponse
    expect(body.providers).toEqual([
      {
        provider: 'acct',
        type: 'openai',
        keys: [
          {
            id: keyFingerprint(DEAD),
            state: 'down',
            uses: 1,
            errors: 1,
            lastError: {
              code: 'provider_auth',
              providerCode: 'invalid_api_key',
              message: 'acct refused the credentials or the request (401)',
              at: expect.any(String),
            },
            retryAt: expect.any(String),
          },
          { id: keyFingerprint(GOOD), state: 'healthy', uses: 1, errors: 0, lastError: null, retryAt: null },
        ],
      },
    ])
    expect(JSON.stringify(body)).not.toContain('sk-live')
  })
})
