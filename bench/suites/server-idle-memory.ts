// Memory per idle subscribed connection: 10,000 event streams held open by plain node:http (the floor),
// by the kit's app served through Express alone, and by the kit's server, which takes event streams
// ahead of Express. Server and client pinned to different cores; memory is read after full collections,
// before and after the 10,000 connect, each stream on its own channel (10,000 payment pages, say).
import { startWorker, until } from './server-support/processes'

const CONNECTIONS = 10_000
const modes = ['plain', 'express', 'kit'] as const
const labels = {
  plain: 'plain node:http (a Map of responses)',
  express: 'the kit through Express (createKitApp)',
  kit: 'the kit (startServer)',
}

interface Memory {
  rss: number
  heapUsed: number
  connections: number
}

const rows: string[] = []
const perConnection: Record<string, { rss: number; heap: number }> = {}
for (const mode of modes) {
  const server = await startWorker(0, 'sse-server.ts', [mode])
  const client = await startWorker(1, 'sse-client.ts')
  try {
    const { port } = await server.request<{ port: number }>('ready')
    // Warm up: the code paths of a connection are compiled before the baseline is taken.
    await client.request('connect', { port, count: 500, prefix: 'warm-', concurrency: 100 })
    await client.request('close')
    await until('warm-up connections closed', async () => (await server.request<number>('connections')) === 0)
    const before = await server.request<Memory>('memory')
    await client.request('connect', { port, count: CONNECTIONS, prefix: 'idle-', concurrency: 200 })
    await until(
      'every connection subscribed',
      async () => (await server.request<number>('connections')) === CONNECTIONS,
    )
    const after = await server.request<Memory>('memory')
    const rss = (after.rss - before.rss) / CONNECTIONS / 1024
    const heap = (after.heapUsed - before.heapUsed) / CONNECTIONS / 1024
    perConnection[mode] = { rss, heap }
    rows.push(
      `| ${labels[mode]} | ${rss.toFixed(1)} | ${heap.toFixed(1)} | ${(after.rss / 2 ** 20).toFixed(0)} |`,
    )
    await client.request('close')
  } finally {
    await client.stop()
    await server.stop()
  }
}

const kit = perConnection.kit!
const plain = perConnection.plain!
console.log(`### ${CONNECTIONS.toLocaleString('en')} idle subscribed connections (KiB per connection)

| server | RSS / connection | heap / connection | RSS total (MiB) |
|---|---|---|---|
${rows.join('\n')}

Kit / plain node:http: RSS ${(kit.rss / plain.rss).toFixed(2)}x, heap ${(kit.heap / plain.heap).toFixed(2)}x. Targets: RSS <= 15 KiB, heap <= 6 KiB per connection: ${kit.rss <= 15 && kit.heap <= 6 ? 'met' : 'NOT met'}.
`)
