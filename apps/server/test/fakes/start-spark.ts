// The fake Spark WebSocket API alone, for manual tries: `pnpm exec tsx apps/server/test/fakes/start-spark.ts`.
// PORT (default: any free one), FAKE_DELAY_MS between frames (default 80).
import { startFakeSpark } from './spark-server'

const fake = await startFakeSpark({
  port: Number(process.env.PORT ?? 0),
  frameDelayMs: Number(process.env.FAKE_DELAY_MS ?? 80),
})
console.log(`fake Spark listening at ${fake.url}`)
console.log(
  JSON.stringify({
    chat: { providers: [{ type: 'spark', name: 'spark', url: fake.url, credentials: fake.credentials }] },
  }),
)
const stop = () => void fake.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
