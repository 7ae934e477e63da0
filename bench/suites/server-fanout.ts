// Fan-out: one channel, N subscribers on raw sockets, 60-byte events published in the server process
// (the kit: through the registry; plain node:http: res.write to each response per event, the naive way);
// every delivery is counted at the client, end to end, with the lag of each event from its publish time
// (carried in its data) to its arrival. Two runs per size: a burst for the highest throughput, and a
// steady rate for the lag a subscriber sees. Server and client pinned to their own core.
import { startWorker, until } from './server-support/processes'

const EVENT_BYTES = 60
const sizes = [
  { subscribers: 1_000, burst: { events: 1_000, perTurn: 20 }, steady: { events: 200, rate: 200 } },
  { subscribers: 10_000, burst: { events: 100, perTurn: 10 }, steady: { events: 25, rate: 5 } },
]

interface Received {
  lastEventAt: number
  received: number
  lagP50: number
  lagP99: number
  lagMax: number
}

const ms = (n: number): string => n.toFixed(1)
const rows: string[] = []
for (const { subscribers, burst, steady } of sizes)
  for (const mode of ['plain', 'kit'] as const) {
    const server = await startWorker(0, 'sse-server.ts', [mode])
    const client = await startWorker(1, 'sse-client.ts')
    try {
      const { port } = await server.request<{ port: number }>('ready')
      await client.request('connect', { port, count: subscribers, key: 'fan', concurrency: 200 })
      await until(
        'every subscriber',
        async () => (await server.request<number>('connections')) === subscribers,
      )
      // Warm-up: compile the delivery path on both sides before measuring.
      await server.request('fanout', { key: 'fan', count: 20, batch: burst.perTurn, bytes: EVENT_BYTES })
      let expected = 20
      await client.request('expect', { events: expected })

      await client.request('reset', { lagCapacity: subscribers * burst.events })
      const cpu = [await server.request<number>('cpu'), await client.request<number>('cpu')]
      const { startedAt } = await server.request<{ startedAt: number }>('fanout', {
        key: 'fan',
        count: burst.events,
        batch: burst.perTurn,
        bytes: EVENT_BYTES,
      })
      expected += burst.events
      const b = await client.request<Received>('expect', { events: expected, timeoutMs: 90_000 })
      const seconds = (b.lastEventAt - startedAt) / 1000
      const serverCpu = ((await server.request<number>('cpu')) - cpu[0]!) / 1000
      const clientCpu = ((await client.request<number>('cpu')) - cpu[1]!) / 1000
      const deliveries = subscribers * burst.events

      await client.request('reset', { lagCapacity: subscribers * steady.events })
      await server.request('paced', {
        key: 'fan',
        count: steady.events,
        rate: steady.rate,
        bytes: EVENT_BYTES,
      })
      expected += steady.events
      const s = await client.request<Received>('expect', { events: expected, timeoutMs: 90_000 })

      rows.push(
        `| ${subscribers.toLocaleString('en')} | ${mode === 'kit' ? 'the kit' : 'plain node:http'} | ${burst.events} events, ${burst.perTurn} per turn | ${Math.round(deliveries / seconds).toLocaleString('en')} | ${ms(b.lagP99)} | ${serverCpu.toFixed(2)} / ${clientCpu.toFixed(2)} / ${seconds.toFixed(2)} | ${steady.rate}/s (${(steady.rate * subscribers).toLocaleString('en')} deliveries/s) | ${ms(s.lagP50)} | ${ms(s.lagP99)} | ${ms(s.lagMax)} |`,
      )
    } finally {
      await client.stop()
      await server.stop()
    }
  }

console.log(`### Fan-out of a ${EVENT_BYTES}-byte event (one channel, raw-socket subscribers, loopback)

| subscribers | server | burst | deliveries/s end to end | burst lag p99 (ms) | CPU s server / client / wall | steady rate | lag p50 (ms) | lag p99 (ms) | lag max (ms) |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets: >= 400,000 deliveries/s; p99 lag < 100 ms at 10,000 subscribers.
`)
