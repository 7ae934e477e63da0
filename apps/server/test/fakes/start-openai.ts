// The fake OpenAI alone, for manual tries: `pnpm exec tsx apps/server/test/fakes/start-openai.ts`.
// PORT (default: any free one), FAKE_DELAY_MS between chunks (default 40).
import { startFakeOpenAI } from './openai-server'

const fake = await startFakeOpenAI({
  port: Number(process.env.PORT ?? 0),
  apiKeys: ['sk-test-key'],
  adminKey: 'sk-admin-fake',
  chunkDelayMs: Number(process.env.FAKE_DELAY_MS ?? 40),
})
console.log(`fake OpenAI listening at ${fake.url}`)
console.log(
  JSON.stringify({
    chat: {
      providers: [
        {
          type: 'openai',
          name: 'fake',
          baseUrl: fake.url,
          apiKeys: ['sk-test-key'],
          adminKey: 'sk-admin-fake',
        },
      ],
    },
  }),
)
const stop = () => void fake.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
