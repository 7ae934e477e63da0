// Time to first event with 100 concurrent subscribers: each connects to a channel that already holds an
// event (a payment status that beat the browser), stays about HOLD_MS (0.5 to 1.5 times, at random),
// leaves and connects to the next, so that 100 streams are always open and new ones keep arriving. Measured from the request to the first
// event at the client; the server's event-loop delay is sampled under the same load. plain node:http
// (the naive server, early sends kept per key) runs the same load as the floor.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { startWorker, type GcPauses } from './server-support/processes'

const CONCURRENCY = 100
const SUBSCRIPTIONS = 5_000
const HOLD_MS = 100
/** Subscriptions before the measured ones, so that the server's code is optimised when the clock starts. */
const WARM_UP = 2_000

interface Percentiles {
  p50: number
  p99: number
  max: number
  gc: GcPauses
}

/**
 * Time the hypervisor gave this VM's cores to others (`steal` in /proc/stat), in clock ticks: stalls that
 * no process here can cause or avoid, reported so that a run's tail can be read against them.
 */
function stolenTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? []
  return Number(cpu[8] ?? 0)
}

const rows: string[] = []
let kit: { first: Percentiles; delay: Percentiles } | undefined
for (const mode of ['plain', 'kit'] as const) {
  const server = await startWorker(0, 'sse-server.ts', [mode])
  // The client's young generation outlasts a run: its own collections would otherwise pause the reading
  // of every stream in flight and count as the server's latency.
  const client = await startWorker(
    1,
    'sse-client.ts',
    [],
    ['--min-semi-space-size=64', '--max-semi-space-size=64'],
  )
  try {
    const { port } = await server.request<{ port: number }>('ready')
    const run = { port, concurrency: CONCURRENCY, holdMs: HOLD_MS }
    await server.request('prepublish', { prefix: 'warm-', count: WARM_UP })
    await client.request('firstEvent', { ...run, count: WARM_UP, prefix: 'warm-' })

    await server.request('prepublish', { prefix: 'first-', count: SUBSCRIPTIONS })
    // Start from a collected heap, as both servers: a major collection of the warm-up's garbage would
    // otherwise land in the measurement for one and not the other.
    await server.request('memory')
    await server.request('delayStart')
    const cpu = [await server.request<number>('cpu'), await client.request<number>('cpu')]
    const stolenBefore = stolenTicks()
    const startedAt = performance.now()
    const first = await client.request<Percentiles>('firstEvent', {
      ...run,
      count: SUBSCRIPTIONS,
      prefix: 'first-',
    })
    const seconds = (performance.now() - startedAt) / 1000
    const stolen = Math.round((stolenTicks() - stolenBefore) / availableParallelism() / seconds)
    const delay = await server.request<Percentiles>('delayStop')
    const busy = async (worker: typeof server, before: number): Promise<number> =>
      Math.round(((await worker.request<number>('cpu')) - before) / 10 / seconds)
    const label = mode === 'kit' ? 'the kit' : 'plain node:http'
    const f = (p: Percentiles): string => `${p.p50.toFixed(2)} | ${p.p99.toFixed(2)} | ${p.max.toFixed(2)}`
    const g = ({ gc }: Percentiles): string => `${gc.count}, ${gc.maxMs.toFixed(1)}`
    rows.push(
      `| ${label} | ${f(first)} | ${f(delay)} | ${g(delay)} / ${g(first)} | ${Math.round(SUBSCRIPTIONS / seconds)} | ${await busy(server, cpu[0]!)} % / ${await busy(client, cpu[1]!)} % | ${stolen} % |`,
    )
    if (mode === 'kit') kit = { first, delay }
  } finally {
    await client.stop()
    await server.stop()
  }
}

console.log(`### Time to first event (${CONCURRENCY} concurrent subscribers, each held ${HOLD_MS} ms on average, ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions, loopback)

| server | first event p50 (ms) | p99 | max | event-loop delay p50 (ms) | p99 | max | GC pauses server / client (count, longest ms) | subscriptions/s | CPU busy server / client | CPU stolen by the host |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets for the kit: first event p99 < 5 ms, event-loop delay p99 < 20 ms: ${kit && kit.first.p99 < 5 && kit.delay.p99 < 20 ? 'met' : 'NOT met'}.
`)
