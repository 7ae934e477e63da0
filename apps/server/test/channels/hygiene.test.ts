import { Agent, get, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannelRegistry, type ChannelRegistry } from '../../src/index'
import { settledHeap } from '../support/gc'
import { serveRegistry, type RegistryServer } from '../support/registry-server'
import { sleep, waitFor } from '../support/wait'

let registry: ChannelRegistry
let server: RegistryServer

beforeAll(async () => {
  registry = createChannelRegistry({
    heartbeatMs: 1000,
    timeoutMs: 60_000,
    earlySendTtlMs: 20,
    replay: { graceMs: 20 },
  })
  server = await serveRegistry(registry)
})

afterAll(async () => {
  await registry.close()
  await server.close()
})

const request = (url: string, agent: Agent): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => get(url, { agent }, resolve).on('error', reject))

const readAll = (res: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = ''
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => (text += chunk))
    res.on('end', () => resolve(text))
    res.on('error', reject)
  })

/** Opens `count` channels, each with a real HTTP subscriber, an event and an end; checks every stream. */
async function openAndEnd(round: string, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 })
  const one = async (i: number): Promise<void> => {
    const key = `${round}-${i}`
    const res = await request(`${server.url}/${key}`, agent)
    const body = readAll(res)
    await registry.send(key, 'message', i)
    await registry.complete(key)
    expect(await body).toBe(
      `retry: 1000\n\nid: 1\nevent: message\ndata: ${i}\n\nid: 2\nevent: done\ndata: {"reason":"complete"}\n\n`,
    )
  }
  for (let i = 0; i < count; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => one(i + j)))
  }
  agent.destroy()
  // Early sends and the grace period of ended channels run out; the server notices the closed sockets.
  await waitFor('bus emptied', () => registry.bus.stats().channels === 0, 2000)
  await sleep(50)
}

const resourceCounts = (): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1
  return counts
}

describe('registry hygiene', () => {
  it('opens and ends 10,000 channels and leaves an empty registry, no handles and no heap growth', async () => {
    await openAndEnd('warmup', 1000)
    const resourcesBefore = resourceCounts()
    const heapBefore = settledHeap()

    await openAndEnd('run', 10_000)

    expect(registry.stats()).toMatchObject({ connections: 0, channels: 0, eventsSent: 22_000, drops: 0 })
    expect(registry.bus.stats()).toEqual({ channels: 0, bufferedEvents: 0, bufferedBytes: 0 })
    expect(resourceCounts()).toEqual(resourcesBefore)
    // Well under 100 bytes per channel: nothing per channel survives.
    expect(settledHeap() - heapBefore).toBeLessThan(1024 * 1024)
  }, 60_000)
})
