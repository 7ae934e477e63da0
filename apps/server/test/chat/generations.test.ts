import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryBus } from '../../src/bus/memory-bus'
import { BusUnavailableError } from '../../src/bus/redis/unavailable'
import type { Bus } from '../../src/bus/types'
import { createChannelRegistry } from '../../src/channels/registry'
import { createGenerations, type Generations } from '../../src/chat/generations'
import { createChatService } from '../../src/chat/service'
import { createDefaultStores } from '../../src/storage/defaults'
import type { ChatStores } from '../../src/storage/types'
import { logSink, type LogSink } from '../support/log-sink'
import { SseReader } from '../support/sse-reader'
import { waitFor } from '../support/wait'

const cleanups: (() => Promise<unknown> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Setup {
  readonly bus?: (memory: Bus) => Bus
  readonly stores?: (stores: ChatStores) => ChatStores
}

/** Generations over a real registry and chat service (the fast demo), each attached by GET `/<stream id>`. */
async function generationsWith(setup: Setup) {
  const logs: LogSink = logSink()
  const memory = createMemoryBus()
  const registry = createChannelRegistry({ bus: setup.bus?.(memory) ?? memory, logger: logs.logger })
  const stores = createDefaultStores({ path: ':memory:' })
  const service = createChatService({
    config: { providers: [{ type: 'demo', tokensPerSecond: 100_000 }] },
    stores: setup.stores?.(stores) ?? stores,
    logger: logs.logger,
  })
  const generations: Generations = createGenerations({
    registry,
    service,
    logger: logs.logger,
    graceMs: 60_000,
    retainMs: 60_000,
    instanceId: 'test',
  })
  const server = createServer((req, res) => void generations.attach((req.url ?? '/').slice(1), res, null))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () => memory.close(),
    () => stores.close(),
    () => service.close(),
    () => registry.close(),
    () => generations.close(),
    () => new Promise((resolve) => server.close(resolve)),
    () => server.closeAllConnections(),
  )
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    logs,
    /** Starts an answer and subscribes to it. */
    async ask(prompt: string): Promise<SseReader> {
      const answer = await service.prepare({ userId: 'generations-user', prompt })
      await generations.start(answer)
      const reader = await SseReader.open(`${url}/${answer.streamId}`)
      cleanups.push(() => reader.close())
      return reader
    },
  }
}

describe('generations', () => {
  it('ends the answer with a retriable error when the bus will not take an event', async () => {
    const { ask, logs } = await generationsWith({
      bus: (memory) => ({
        ...memory,
        publish: (key, input) =>
          input.event === 'message'
            ? Promise.reject(new BusUnavailableError(new Error('redis went away')))
            : memory.publish(key, input),
      }),
    })
    const reader = await ask('hello')
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.event)).toEqual(['start', 'error'])
    expect(reader.data[1]).toEqual({
      code: 'bus_unavailable',
      message: 'the answer could not be delivered; ask again',
      retriable: true,
    })
    expect(logs.messages(50)).toContain('could not publish the answer')
  })

  it('says internal, still retriable, for any other publish failure', async () => {
    const { ask } = await generationsWith({
      bus: (memory) => ({
        ...memory,
        publish: (key, input) =>
          input.event === 'message' ? Promise.reject(new Error('bug')) : memory.publish(key, input),
      }),
    })
    const reader = await ask('hello')
    await reader.waitForEnd()
    expect(reader.data.at(-1)).toMatchObject({ code: 'internal', retriable: true })
  })

  it('logs a failure to count a listener out instead of leaving it unhandled', async () => {
    const { ask, logs } = await generationsWith({
      stores: (stores) => ({
        ...stores,
        streams: { ...stores.streams, unwatch: () => Promise.reject(new Error('redis went away')) },
      }),
    })
    const reader = await ask('hello')
    await reader.waitForEvents(1)
    reader.close()
    await waitFor('the failure logged', () => logs.messages(50).length > 0)
    expect(logs.entries.find((e) => e.level === 50)).toMatchObject({
      msg: 'could not count a listener out',
      err: { message: 'redis went away' },
    })
  })
})
