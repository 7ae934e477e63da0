import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ErrorCode } from '@kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatService, type ChatService } from '../../src/chat'
import { kitChatRoutes } from '../../src/chat/kit-routes'
import { createKitApp } from '../../src/http/app'
import { createKitRouter } from '../../src/http/router'
import type { KitRouter } from '../../src/http/types'
import { createLogger } from '../../src/logging/logger'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'

const SECRET = 'usage-test-publish-secret-0123'
const ALICE = { 'x-kit-user': 'alice-usage-00001' }
const BOB = { 'x-kit-user': 'bob-usage-0000002' }
const BACKEND = { authorization: `Bearer ${SECRET}` }

let fake: FakeOpenAI
let now = Date.parse('2026-04-10T12:00:00Z')
const clock = { now: () => now }

interface Running {
  url: string
  service: ChatService
  router: KitRouter
  server: Server
}

/** The kit router embedded in an app of its own, around a service with a fake clock. */
async function start(adminKey: string): Promise<Running> {
  const service = createChatService({
    clock,
    config: {
      storage: { path: ':memory:' },
      providers: [
        { type: 'openai', name: 'fake', apiKeys: ['sk-test-key'], baseUrl: fake.url, retries: 0, adminKey },
      ],
      prices: { 'gpt-4o': { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 } },
    },
  })
  const router = createKitRouter({
    publishSecret: SECRET,
    tokenSecret: 'usage-test-token-secret-0123456789abcdef',
    demo: false,
    routes: [kitChatRoutes({ service, publishSecret: SECRET })],
  })
  const server = createServer(createKitApp({ router, logger: createLogger({ level: 'silent' }) }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, service, router, server }
}

async function stop({ router, server, service }: Running) {
  await router.close()
  await service.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

let kit: Running
let wrongAdmin: Running

const usage = (query: string, headers: Record<string, string> = ALICE, target = kit) =>
  fetch(`${target.url}/api/usage${query}`, { headers })

async function answer(headers: Record<string, string>, model: string, prompt: string) {
  const res = await fetch(`${kit.url}/api/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ prompt, model }),
  })
  expect(res.status).toBe(200)
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ adminKey: 'sk-admin-fake' })
  kit = await start('sk-admin-fake')
  wrongAdmin = await start('sk-admin-wrong')
  // 2026-04-08: two answers by Alice; 2026-04-10: one by Alice with another model, one by Bob.
  now = Date.parse('2026-04-08T09:00:00Z')
  await answer(ALICE, 'gpt-4o-mini', 'one two three')
  await answer(ALICE, 'gpt-4o-mini', 'four five')
  now = Date.parse('2026-04-10T09:00:00Z')
  await answer(ALICE, 'gpt-4o', 'six')
  await answer(BOB, 'gpt-4o-mini', 'seven')
})
afterAll(async () => {
  await stop(kit)
  await stop(wrongAdmin)
  await fake.close()
})

describe('GET /api/usage', () => {
  it('totals the user’s own answers per day, provider and model, with the estimated cost', async () => {
    const res = await usage('')
    expect(res.status).toBe(200)
    const report = await res.json()
    // The fake counts a token per word: "Echo: one two three" is 4 completion tokens for 3 prompt tokens.
    const mini = (prompt: number, completion: number) => (prompt * 0.15 + completion * 0.6) / 1e6
    expect(report).toEqual({
      from: null,
      to: null,
      totals: {
        promptTokens: 6,
        completionTokens: 9,
        totalTokens: 15,
        requests: 3,
        costUsd: Math.round((mini(5, 7) + 1 * 1 + 2 * 2) * 1e6) / 1e6,
      },
      days: [
        {
          day: '2026-04-08',
          provider: 'fake',
          model: 'gpt-4o-mini',
          promptTokens: 5,
          completionTokens: 7,
          totalTokens: 12,
          requests: 2,
          costUsd: Math.round(mini(5, 7) * 1e6) / 1e6,
        },
        {
          day: '2026-04-10',
          provider: 'fake',
          model: 'gpt-4o',
          promptTokens: 1,
          completionTokens: 2,
          totalTokens: 3,
          requests: 1,
          costUsd: 5,
        },
      ],
    })
    expect(report).not.toHaveProperty('organization')
  })

  it('keeps to the range asked for; from alone runs to today', async () => {
    const one = await (await usage('?from=2026-04-10&to=2026-04-10')).json()
    expect(one.days.map((d: { day: string }) => d.day)).toEqual(['2026-04-10'])
    expect(one).toMatchObject({ from: '2026-04-10', to: '2026-04-10', totals: { requests: 1 } })
    const open = await (await usage('?from=2026-04-09')).json()
    expect(open).toMatchObject({ from: '2026-04-09', to: '2026-04-10', totals: { requests: 1 } })
    const upTo = await (await usage('?to=2026-04-08')).json()
    expect(upTo).toMatchObject({ from: '2025-12-30', to: '2026-04-08', totals: { requests: 2 } })
  })

  it('allows 100 days and refuses 101, a reversed range and days that do not exist', async () => {
    expect((await usage('?from=2026-01-01&to=2026-04-10')).status).toBe(200)
    const cases: [string, RegExp][] = [
      ['?from=2025-12-31&to=2026-04-10', /101 days; at most 100/],
      ['?from=2026-04-10&to=2026-04-01', /after/],
      ['?from=2026-02-30', /YYYY-MM-DD/],
      ['?to=yesterday', /YYYY-MM-DD/],
    ]
    for (const [query, message] of cases) {
      const res = await usage(query)
      expect(res.status).toBe(400)
      const { error } = await res.json()
      expect(error).toMatchObject({
        code: ErrorCode.ValidationFailed,
        message: expect.stringMatching(message),
      })
    }
  })

  it('shows each user their own usage only', async () => {
    const bob = await (await usage('', BOB)).json()
    expect(bob.totals.requests).toBe(1)
    expect(bob.days).toMatchObject([{ day: '2026-04-10', model: 'gpt-4o-mini' }])
  })

  it('shows the backend everyone’s usage and the organisation’s costs, every page of them', async () => {
    const report = await (await usage('?from=2026-04-01&to=2026-04-10', BACKEND)).json()
    expect(report.totals.requests).toBe(4)
    expect(report.organization).toEqual([
      {
        provider: 'fake',
        from: '2026-04-01',
        to: '2026-04-10',
        totalUsd: 15,
        days: Array.from({ length: 10 }, (_, i) => ({
          day: `2026-04-${String(i + 1).padStart(2, '0')}`,
          costUsd: 1.5,
        })),
      },
    ])
    const whole = await (await usage('', BACKEND)).json()
    expect(whole.organization[0]).toMatchObject({ from: '2026-01-01', to: '2026-04-10', totalUsd: 150 })
    const costCalls = fake.requests.filter((r) => r.path.startsWith('/v1/organization/costs'))
    expect(costCalls.every((r) => r.headers.authorization === 'Bearer sk-admin-fake')).toBe(true)
    expect(costCalls.length).toBe(1 + 4)
  })

  it('reports a failure of the organisation figures beside the kit’s own', async () => {
    const res = await usage('?from=2026-04-01&to=2026-04-02', BACKEND, wrongAdmin)
    expect(res.status).toBe(200)
    const report = await res.json()
    expect(report.organization).toEqual([
      { provider: 'fake', from: '2026-04-01', to: '2026-04-02', error: expect.stringContaining('refused') },
    ])
    expect(JSON.stringify(report)).not.toContain('sk-admin')
  })
})
