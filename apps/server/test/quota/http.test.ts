import { ErrorCode, type QuotaStatus } from '@kit/protocol'
import { describe, expect, it } from 'vitest'
import { useKitHarness } from '../chat/harness'
import { EventLog } from '../chat/sse'
import { PUBLISH_SECRET, type TestServer } from '../support/server'

/** Generous: the machine these run on may be loaded many times over. */
const SLOW = { timeout: 60_000 }

const kit = useKitHarness()
const user = (name: string) => ({ 'x-kit-user': `${name}-browser-000001`.slice(0, 40) })
const ALICE = user('alice')
const NO_LIMITS = { concurrentAnswers: 0, rate: { perUser: 0, perIp: 0 } }
const chatCalls = () => kit.fake.requests.filter((r) => r.path === '/v1/chat/completions').length

const ask = (s: TestServer, headers: Record<string, string> = ALICE, body: object = { provider: 'fake' }) =>
  EventLog.post(`${s.url}/api/chat`, { prompt: 'hello', ...body }, headers)
const lastOf = async (log: EventLog) => (await log.end()).at(-1)

async function quota(s: TestServer, headers: Record<string, string> = ALICE, query = 'provider=fake') {
  const res = await fetch(`${s.url}/api/quota?${query}`, { headers })
  expect(res.status).toBe(200)
  return (await res.json()) as QuotaStatus
}

const grant = (s: TestServer, body: unknown, authorization = `Bearer ${PUBLISH_SECRET}`) =>
  fetch(`${s.url}/api/quotas/bonus`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  })

describe('quota reservation and refunds', SLOW, () => {
  it('gives the answer back when the provider failed before any text, keeps it after text', async () => {
    const s = await kit.server({ quotas: { defaultDaily: 2 }, limits: NO_LIMITS })
    kit.fake.enqueue({ kind: 'status', status: 500, message: 'upstream broke' })
    expect((await lastOf(await ask(s)))?.event).toBe('error')
    expect(await quota(s)).toMatchObject({ daily: 2, used: 0, remaining: 2 })
    kit.fake.enqueue({ kind: 'stream-error', afterChunks: 1, message: 'broke midway' })
    const midway = await ask(s)
    expect((await lastOf(midway))?.event).toBe('error')
    expect(midway.text()).not.toBe('')
    expect(await quota(s)).toMatchObject({ used: 1, remaining: 1 })
    // Non-streaming: a failed provider call costs nothing either.
    kit.fake.enqueue({ kind: 'status', status: 500, message: 'upstream broke' })
    const failed = await fetch(`${s.url}/api/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ALICE },
      body: JSON.stringify({ prompt: 'x', provider: 'fake' }),
    })
    expect(failed.status).toBe(502)
    expect(await quota(s)).toMatchObject({ used: 1, remaining: 1 })
  })

  it('keeps the answer the user stopped', async () => {
    const s = await kit.server({ quotas: { defaultDaily: 2 }, limits: NO_LIMITS })
    // Twenty words, 200 ms apart: the stop arrives long before the end, even on a loaded machine.
    kit.fake.chunkDelayMs = 200
    const log = await ask(s, ALICE, { provider: 'fake', prompt: Array(20).fill('word').join(' ') })
    await log.until((events) => events.some((e) => e.event === 'message'), 30_000)
    const { streamId } = log.events[0]?.data as { streamId: string }
    const stop = await fetch(`${s.url}/api/chat/streams/${streamId}/stop`, { method: 'POST', headers: ALICE })
    expect(stop.status).toBe(200)
    expect((await lastOf(log))?.data).toMatchObject({ reason: 'aborted' })
    expect(await quota(s)).toMatchObject({ used: 1, remaining: 1 })
  })
})

describe('quota day and reset time', SLOW, () => {
  it('turns over at midnight of the configured time zone and says when, in the error and Retry-After', async () => {
    const s = await kit.server({ quotas: { defaultDaily: 0, timeZone: 'Asia/Shanghai' }, limits: NO_LIMITS })
    const now = Date.now()
    // Midnight in Shanghai is 16:00 UTC.
    const reset = new Date(now + 8 * 3600_000)
    reset.setUTCHours(24, 0, 0, 0)
    const resetAt = new Date(reset.getTime() - 8 * 3600_000).toISOString()
    const log = await ask(s)
    expect(log.status).toBe(200)
    const seconds = Number(log.headers['retry-after'])
    expect(Math.abs(seconds - (Date.parse(resetAt) - now) / 1000)).toBeLessThan(60)
    expect((await lastOf(log))?.data).toEqual({
      code: ErrorCode.QuotaExceeded,
      message: expect.stringContaining(`resets at ${resetAt} (midnight Asia/Shanghai)`),
      retriable: true,
      resetAt,
      retryAfterSeconds: seconds,
    })
    const res = await fetch(`${s.url}/api/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ALICE },
      body: JSON.stringify({ prompt: 'x', provider: 'fake' }),
    })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await res.json()).toMatchObject({ error: { code: ErrorCode.QuotaExceeded, resetAt } })
    expect((await quota(s)).resetAt).toBe(resetAt)
    expect(chatCalls()).toBe(0)
  })

  it('refuses a time zone that is not an IANA name', async () => {
    await expect(kit.server({ quotas: { timeZone: 'Mars/Olympus' } })).rejects.toThrow(/timeZone/)
  })
})

describe('bonus quota', SLOW, () => {
  it('is granted by the backend only, spent after the daily quota, shown in GET /api/quota', async () => {
    const s = await kit.server({ quotas: { defaultDaily: 1 }, limits: NO_LIMITS })
    const userId = `anon:${ALICE['x-kit-user']}`
    expect((await grant(s, { userId, model: 'gpt-4o-mini', amount: 2 }, 'Bearer nope')).status).toBe(401)
    expect((await grant(s, { userId, model: '', amount: 2 })).status).toBe(400)
    const granted = await grant(s, { userId, model: 'gpt-4o-mini', amount: 2 })
    expect(await granted.json()).toEqual({ userId, model: 'gpt-4o-mini', bonus: 2 })
    expect(await quota(s)).toEqual({
      model: 'gpt-4o-mini',
      group: 'default',
      daily: 1,
      used: 0,
      bonus: 2,
      remaining: 3,
      resetAt: expect.any(String),
    })
    const ends = []
    for (let i = 0; i < 4; i++) ends.push((await lastOf(await ask(s)))?.event)
    expect(ends).toEqual(['done', 'done', 'done', 'error'])
    expect(await quota(s)).toMatchObject({ used: 1, bonus: 0, remaining: 0 })
    // Per model: another model of the instance has no bonus.
    const other = await fetch(`${s.url}/api/quotas/bonus?userId=${userId}&model=gpt-4o`, {
      headers: { authorization: `Bearer ${PUBLISH_SECRET}` },
    })
    expect(await other.json()).toEqual({ userId, model: 'gpt-4o', bonus: 0 })
    expect(chatCalls()).toBe(3)
  })
})

describe('concurrent answers', SLOW, () => {
  it('refuses a third answer under way with 429 too_many_answers and Retry-After, frees the slot at the end', async () => {
    // Two anonymous users on one address: the address may have twice one user's answers under way.
    const s = await kit.server({
      limits: { concurrentAnswers: 2, anonymousPerIp: 2, rate: { perUser: 0, perIp: 0 } },
    })
    kit.fake.chunkDelayMs = 100
    const running = [await ask(s), await ask(s)]
    await Promise.all(running.map((log) => log.until((events) => events.length > 0, 30_000)))
    const third = await fetch(`${s.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ALICE },
      body: JSON.stringify({ prompt: 'x', provider: 'fake' }),
    })
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('1')
    expect(await third.json()).toEqual({
      error: { code: ErrorCode.TooManyAnswers, message: expect.any(String), retryAfterSeconds: 1 },
    })
    // Someone else is not held up by Alice's answers.
    const bob = await ask(s, user('bob'))
    expect(bob.status).toBe(200)
    bob.close()
    await Promise.all(running.map(lastOf))
    kit.fake.chunkDelayMs = 0
    expect((await lastOf(await ask(s)))?.event).toBe('done')
  })
})

describe('request rate', SLOW, () => {
  it('refuses past the per-user rate with 429 too_many_requests and Retry-After', async () => {
    const s = await kit.server({ limits: { rate: { perUser: 2, perIp: 0, windowSeconds: 30 } } })
    const post = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ prompt: 'x', provider: 'fake' }),
      })
    expect((await post(ALICE)).status).toBe(200)
    expect((await post(ALICE)).status).toBe(200)
    const refused = await post(ALICE)
    expect(refused.status).toBe(429)
    const seconds = Number(refused.headers.get('retry-after'))
    expect(seconds).toBeGreaterThan(0)
    expect(seconds).toBeLessThanOrEqual(30)
    expect(await refused.json()).toMatchObject({
      error: { code: ErrorCode.TooManyRequests, retryAfterSeconds: seconds },
    })
    expect((await post(user('bob'))).status).toBe(200)
    expect(chatCalls()).toBe(3)
  })

  it('counts GET /api/chat (EventSource answers) like POST /api/chat, and holds its quota per address', async () => {
    const s = await kit.server({
      quotas: { defaultDaily: 1 },
      limits: { concurrentAnswers: 0, rate: { perUser: 0, perIp: 2 } },
    })
    const get = (name: string) =>
      EventLog.open(`${s.url}/api/chat?prompt=hi&provider=fake`, { headers: user(name) })
    expect((await lastOf(await get('a')))?.event).toBe('done')
    // A second anonymous browser on the address: the address's share of the quota is used up.
    expect((await lastOf(await get('b')))?.data.code).toBe(ErrorCode.QuotaExceeded)
    const third = await get('c')
    expect(third.status).toBe(429)
    expect(third.headers['retry-after']).toMatch(/^\d+$/)
    third.close()
    expect(chatCalls()).toBe(1)
  })

  it('counts per client address, reading X-Forwarded-For only behind a trusted proxy', async () => {
    const limits = { rate: { perUser: 0, perIp: 2 } }
    const images = (s: TestServer, name: string, forwardedFor: string) =>
      fetch(`${s.url}/api/images`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, ...user(name) },
        body: JSON.stringify({ prompt: 'a fox', model: 'dall-e-2', size: '256x256' }),
      })
    const direct = await kit.server({ limits })
    const spoofed = []
    for (const [n, ip] of [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ] as const)
      spoofed.push(await images(direct, n, `198.51.100.${ip}`))
    expect(spoofed.map((r) => r.status)).toEqual([200, 200, 429])
    expect(await spoofed.at(-1)!.json()).toMatchObject({ error: { code: ErrorCode.TooManyRequests } })

    const proxied = await kit.server({ limits }, { http: { trustProxy: 1 } })
    const statuses = []
    for (const [n, ip] of [
      ['a', '1'],
      ['b', '1'],
      ['c', '1'],
      ['d', '2'],
    ] as const)
      statuses.push((await images(proxied, n, `198.51.100.${ip}`)).status)
    expect(statuses).toEqual([200, 200, 429, 200])
  })
})

describe('anonymous users per client address', SLOW, () => {
  it('a new X-Kit-User from the same address gets no fresh quota; another address does', async () => {
    const s = await kit.server({ quotas: { defaultDaily: 2 }, limits: { ...NO_LIMITS, anonymousPerIp: 1 } })
    const ends = []
    for (const name of ['a', 'b', 'c', 'd']) ends.push((await lastOf(await ask(s, user(name))))?.event)
    expect(ends).toEqual(['done', 'done', 'error', 'error'])
    expect(await quota(s, user('e'))).toMatchObject({ used: 0, remaining: 0 })
    expect(chatCalls()).toBe(2)
  })

  it('holds per forwarded address behind a trusted proxy', async () => {
    const s = await kit.server(
      { quotas: { defaultDaily: 1 }, limits: { ...NO_LIMITS, anonymousPerIp: 1 } },
      { http: { trustProxy: 1 } },
    )
    const from = (name: string, ip: string) => ({ ...user(name), 'x-forwarded-for': ip })
    expect((await lastOf(await ask(s, from('a', '192.0.2.1'))))?.event).toBe('done')
    expect((await lastOf(await ask(s, from('b', '192.0.2.1'))))?.data.code).toBe(ErrorCode.QuotaExceeded)
    expect((await lastOf(await ask(s, from('c', '192.0.2.2'))))?.event).toBe('done')
  })
})
