import { ErrorCode } from '@kit/protocol'
import { describe, expect, it } from 'vitest'
import { useKitHarness } from '../chat/harness'
import { EventLog } from '../chat/sse'

/** Generous: the machine these run on may be loaded many times over. */
const SLOW = { timeout: 60_000 }

const ALICE = { 'x-kit-user': 'alice-browser-0001' }
const kit = useKitHarness()
const upstream = (path: string) => kit.fake.requests.filter((r) => r.path === path).length
/** Only the quota is under test: the limits that would also refuse some of the 50 are off. */
const QUOTA_ONLY = {
  quotas: { defaultDaily: 3 },
  limits: { concurrentAnswers: 0, rate: { perUser: 0, perIp: 0 } },
}
const fifty = <T>(work: () => Promise<T>) => Promise.all(Array.from({ length: 50 }, work))

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ALICE },
    body: JSON.stringify(body),
  })
  await res.arrayBuffer()
  return res.status
}

describe('the daily quota of 3 under 50 concurrent requests of one user', SLOW, () => {
  it('POST /api/chat: 3 answers and 3 upstream calls, 47 quota errors', async () => {
    const s = await kit.server(QUOTA_ONLY)
    // Answers that take a while overlap the checks of the others, as in the attack.
    kit.fake.chunkDelayMs = 20
    const logs = await fifty(() =>
      EventLog.post(`${s.url}/api/chat`, { prompt: 'race', provider: 'fake' }, ALICE),
    )
    const ends = await Promise.all(logs.map(async (log) => (await log.end()).at(-1)))
    expect(ends.filter((e) => e?.event === 'done')).toHaveLength(3)
    expect(ends.filter((e) => e?.data.code === ErrorCode.QuotaExceeded)).toHaveLength(47)
    expect(upstream('/v1/chat/completions')).toBe(3)
  })

  it('POST /api/chat/completions: 3 answers and 3 upstream calls, 47 HTTP 429', async () => {
    const s = await kit.server(QUOTA_ONLY)
    kit.fake.chunkDelayMs = 20
    const statuses = await fifty(() =>
      post(`${s.url}/api/chat/completions`, { prompt: 'race', provider: 'fake' }),
    )
    expect(statuses.filter((st) => st === 200)).toHaveLength(3)
    expect(statuses.filter((st) => st === 429)).toHaveLength(47)
    expect(upstream('/v1/chat/completions')).toBe(3)
  })

  it('POST /api/images: 3 drawings and 3 upstream calls, 47 HTTP 429', async () => {
    const s = await kit.server(QUOTA_ONLY)
    const statuses = await fifty(() =>
      post(`${s.url}/api/images`, { prompt: 'a fox', model: 'dall-e-2', size: '256x256' }),
    )
    expect(statuses.filter((st) => st === 200)).toHaveLength(3)
    expect(statuses.filter((st) => st === 429)).toHaveLength(47)
    expect(upstream('/v1/images/generations')).toBe(3)
  })

  it('the demo provider: 3 answers of 50', async () => {
    const s = await kit.server({ ...QUOTA_ONLY, providers: [{ type: 'demo', tokensPerSecond: 2000 }] })
    const logs = await fifty(() => EventLog.post(`${s.url}/api/chat`, { prompt: 'race' }, ALICE))
    const ends = await Promise.all(logs.map(async (log) => (await log.end()).at(-1)?.event))
    expect(ends.filter((e) => e === 'done')).toHaveLength(3)
  })
})
