// Time to first event with 100 concurrent subscribers: each connects to a channel that already holds an
// event (a payment status that beat the browser), stays HOLD_MS, leaves and connects to the next, so
// that 100 streams are always open and new ones keep arriving. Measured from the request to the first
// event at the client; the server's event-loop delay is sampled under the same load.
import { startWorker } from './server-support/processes'

const CONCURRENCY = 100
const SUBSCRIPTIONS = 5_000
const HOLD_MS = 100

const server = await startWorker(0, 'sse-server.ts', ['kit'])
const client = await startWorker(1, 'sse-client.ts')
try {
  const { port } = await server.request<{ port: number }>('ready')
  await server.request('prepublish', { prefix: 'warm-', count: 500 })
  await client.request('firstEvent', {
    port,
    count: 500,
    prefix: 'warm-',
    concurrency: CONCURRENCY,
    holdMs: HOLD_MS,
  })

  await server.request('prepublish', { prefix: 'first-', count: SUBSCRIPTIONS })
  await server.request('delayStart')
  const cpu = [await server.request<number>('cpu'), await client.request<number>('cpu')]
  const startedAt = performance.now()
  const first = await client.request<{ p50: number; p99: number; max: number }>('firstEvent', {
    port,
    count: SUBSCRIPTIONS,
    prefix: 'first-',
    concurrency: CONCURRENCY,
    holdMs: HOLD_MS,
  })
  const seconds = (performance.now() - startedAt) / 1000
  const busy = (worker: typeof server, before: number) =>
    worker.request<number>('cpu').then((after) => Math.round((after - before) / 10 / seconds))
  const serverBusy = await busy(server, cpu[0]!)
  const clientBusy = await busy(client, cpu[1]!)
  const delay = await server.request<{ p50: number; p99: number; max: number }>('delayStop')

  console.log(`### Time to first event (${CONCURRENCY} concurrent subscribers, each held ${HOLD_MS} ms, ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions, loopback)

| | p50 (ms) | p99 (ms) | max (ms) |
|---|---|---|---|
| request to first event | ${first.p50.toFixed(2)} | ${first.p99.toFixed(2)} | ${first.max.toFixed(2)} |
| server event-loop delay | ${delay.p50.toFixed(2)} | ${delay.p99.toFixed(2)} | ${delay.max.toFixed(2)} |

${Math.round(SUBSCRIPTIONS / seconds).toLocaleString('en')} subscriptions/s; CPU busy: server ${serverBusy} %, client ${clientBusy} %. Targets: first event p99 < 5 ms, event-loop delay p99 < 20 ms: ${first.p99 < 5 && delay.p99 < 20 ? 'met' : 'NOT met'}.
`)
} finally {
  await client.stop()
  await server.stop()
}
