import { ErrorCode } from '@kit/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chatConfigSchema } from '../../src/config/chat'
import { providersFromConfig } from '../../src/providers/catalog'
import type { ChatProvider, ProviderRequest } from '../../src/providers/types'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { startFakeSpark, type FakeSpark } from '../fakes/spark-server'
import { collect } from './collect'

let openai: FakeOpenAI
let spark: FakeSpark
const opened: ChatProvider[] = []
const never = new AbortController().signal

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKeys: ['sk-backup'] })
  spark = await startFakeSpark()
})
afterAll(async () => {
  await Promise.all(opened.map((p) => p.close?.()))
  await openai.close()
  await spark.close()
})
afterEach(() => {
  openai.requests.length = 0
  spark.sessions.length = 0
})

const fast = { retry: { attempts: 1, baseMs: 10, maxMs: 20 } }

/** `primary` (Spark) falls back to `backup` (OpenAI), as configured in a file. */
function instances(fallback: unknown, sparkOverrides: Record<string, unknown> = {}) {
  const config = chatConfigSchema.parse({
    providers: [
      {
        type: 'spark',
        name: 'primary',
        url: spark.url,
        credentials: spark.credentials,
        fallback,
        ...fast,
        ...sparkOverrides,
      },
      {
        type: 'openai',
        name: 'backup',
        apiKeys: ['sk-backup'],
        baseUrl: openai.url,
        models: ['gpt-4o-mini', 'gpt-4o'],
        ...fast,
      },
    ],
  })
  const providers = providersFromConfig(config.providers, {})
  opened.push(...providers)
  return providers[0]!
}

const ask = (prompt: string, extra: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: 'lite',
  messages: [{ role: 'user', content: prompt }],
  ...extra,
})

describe('fallback instances', () => {
  it('answers from the fallback, with its default model, when every key of the instance is refused', async () => {
    const primary = instances(['backup'], { credentials: { ...spark.credentials, apiSecret: 'wrong' } })
    const result = await collect(primary.stream(ask('still there?'), never))
    expect(result.text()).toBe('Echo: still there?')
    expect(openai.requests[0]?.body?.model).toBe('gpt-4o-mini')
    await expect(primary.complete(ask('and now?'), never)).resolves.toMatchObject({
      choices: [{ content: 'Echo: and now?' }],
    })
  })

  it('asks the fallback for the model it names, after the instance ran out of retries', async () => {
    const primary = instances([{ provider: 'backup', model: 'gpt-4o' }])
    spark.enqueue({ kind: 'error', code: 11202 }, { kind: 'error', code: 11202 })
    const result = await collect(primary.stream(ask('busy?'), never))
    expect(result.text()).toBe('Echo: busy?')
    expect(spark.sessions).toHaveLength(2)
    expect(openai.requests[0]?.body?.model).toBe('gpt-4o')
  })

  it('never falls back once text was streamed: the user would see two answers', async () => {
    const primary = instances(['backup'])
    spark.enqueue({ kind: 'error', code: 10110, afterFrames: 1 })
    const result = await collect(primary.stream(ask('one two three four'), never))
    expect(result.text()).not.toBe('')
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderUnavailable, providerCode: 10110 })
    expect(openai.requests).toHaveLength(0)
  })

  it('does not fall back for a refusal of the request itself', async () => {
    const primary = instances(['backup'])
    spark.enqueue({ kind: 'error', code: 10013 })
    const result = await collect(primary.stream(ask('bad words'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ContentBlocked })
    expect(openai.requests).toHaveLength(0)
  })

  it('is refused in the config when it names no other configured instance', () => {
    const parsed = chatConfigSchema.safeParse({
      providers: [
        { type: 'demo', name: 'a', fallback: ['a'] },
        { type: 'demo', name: 'b', fallback: ['nowhere'] },
      ],
    })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['providers.0.fallback.0', 'fallback a must be another configured instance'],
      ['providers.1.fallback.0', 'fallback nowhere must be another configured instance'],
    ])
  })
})
