import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chatConfigSchema } from '../../src/config/chat'
import { createProviderCatalog, providersFromConfig, type ProviderCatalog } from '../../src/providers/catalog'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { startFakeSpark, type FakeSpark } from '../fakes/spark-server'
import { collect } from './collect'

let openai: FakeOpenAI
let spark: FakeSpark
let catalog: ProviderCatalog

beforeAll(async () => {
  openai = await startFakeOpenAI()
  spark = await startFakeSpark()
  const config = chatConfigSchema.parse({
    providers: [
      {
        type: 'openai',
        name: 'o',
        apiKeys: ['sk-test-key'],
        baseUrl: openai.url,
        retries: 1,
        backoff: { initialMs: 1, maxMs: 2 },
      },
      {
        type: 'spark',
        name: 's',
        url: spark.url,
        credentials: spark.credentials,
        retries: 1,
        backoff: { initialMs: 1, maxMs: 2 },
      },
    ],
  })
  catalog = createProviderCatalog(providersFromConfig(config.providers))
})
afterAll(async () => {
  await catalog.close()
  await openai.close()
  await spark.close()
})

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe('provider hygiene', () => {
  it('leaves no timer behind after answers, failures, retries and aborts', async () => {
    const before = timers()
    for (let round = 0; round < 10; round++) {
      openai.enqueue({ kind: 'status', status: 500 }, { kind: 'stream-error', afterChunks: 1 })
      spark.enqueue({ kind: 'error', code: 11202 }, { kind: 'error', code: 10014, afterFrames: 1 })
      for (const name of ['o', 's']) {
        const provider = catalog.find(name)
        if (!provider) throw new Error(`no provider ${name}`)
        const request = {
          model: provider.defaultModel,
          messages: [{ role: 'user' as const, content: 'a b c d' }],
        }
        await collect(provider.stream(request, new AbortController().signal))
        await collect(provider.stream(request, new AbortController().signal))
        const controller = new AbortController()
        for await (const chunk of provider.stream(request, controller.signal))
          if (chunk.type === 'delta') controller.abort()
      }
    }
    expect(openai.requests.length).toBe(10 * 4)
    expect(spark.sessions.length).toBe(10 * 4)
    await expect.poll(timers).toBeLessThanOrEqual(before)
  })
})
