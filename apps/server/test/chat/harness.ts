import { afterAll, afterEach, beforeAll } from 'vitest'
import type { ChatConfigInput } from '../../src/config/chat'
import type { ServerConfigInput } from '../../src/config/schema'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { startTestServer, type TestServer } from '../support/server'

export interface KitHarness {
  /** The fake OpenAI shared by the file's tests; reset after each. */
  readonly fake: FakeOpenAI
  /** A real kit server whose providers are the fake (`fake`) and a fast demo (`demo`), closed after the test. */
  server(chat?: ChatConfigInput, settings?: ServerConfigInput): Promise<TestServer>
}

/** Registers the hooks of a test file that runs kit servers against one fake OpenAI. */
export function useKitHarness(): KitHarness {
  let fake: FakeOpenAI | undefined
  let echo: FakeOpenAI['answer'] | undefined
  const servers: TestServer[] = []
  beforeAll(async () => {
    fake = await startFakeOpenAI()
    echo = fake.answer
  })
  afterAll(() => fake?.close())
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
    if (!fake) return
    fake.requests.length = 0
    fake.chunkDelayMs = 0
    if (echo) fake.answer = echo
  })
  const current = () => {
    if (!fake) throw new Error('the fake OpenAI starts in beforeAll')
    return fake
  }
  return {
    get fake() {
      return current()
    },
    async server(chat = {}, settings = {}) {
      const running = await startTestServer({
        ...settings,
        chat: {
          storage: { path: ':memory:' },
          providers: [
            { type: 'openai', name: 'fake', apiKeys: ['sk-test-key'], baseUrl: current().url, retries: 0 },
            { type: 'demo', tokensPerSecond: 100_000 },
          ],
          ...chat,
        },
      })
      servers.push(running)
      return running
    },
  }
}
