import { connect as connectTcp } from 'node:net'
import { SSE_HEADERS } from '@kit/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ChannelClosedError,
  createChannelRegistry,
  DEFAULT_CHANNEL_TIMEOUT_MS,
  InvalidEventNameError,
  InvalidKeyError,
  type ChannelRegistry,
  type ChannelRegistryOptions,
} from '../../src/index'
import { createMemoryBus } from '../../src/bus/memory-bus'
import type { Bus } from '../../src/bus/types'
import { settledHeap } from '../support/gc'
import { logSink } from '../support/log-sink'
import { serveRegistry, type RegistryServer } from '../support/registry-server'
import { SseReader } from '../support/sse-reader'
import { sleep, waitFor } from '../support/wait'

let registry: ChannelRegistry
let server: RegistryServer
const readers: SseReader[] = []

async function setup(options: ChannelRegistryOptions = {}): Promise<void> {
  registry = createChannelRegistry({ retryMs: 25, ...options })
  server = await serveRegistry(registry, { recordSubscribers: true })
}

async function subscribe(key: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await SseReader.open(`${server.url}/${key}`, headers)
  readers.push(reader)
  return reader
}

afterEach(async () => {
  for (const r of readers.splice(0)) r.close()
  await registry.close()
  await server.close()
})

describe('channel registry', () => {
  it('flushes the SSE headers and retry: before any event exists', async () => {
    await setup()
    const reader = await subscribe('k')
    await waitFor('retry', () => reader.retry !== undefined)
    expect(reader.status).toBe(200)
    for (const [name, value] of Object.entries(SSE_HEADERS))
      expect(reader.headers[name.toLowerCase()]).toBe(value)
    expect(reader.headers['content-encoding']).toBeUndefined()
    expect(reader.raw).toBe('retry: 25\n\n')
    expect(reader.events).toEqual([])
  })

  it('replays sends that beat the subscriber, in order with sequence ids', async () => {
    await setup()
    expect(await registry.send('pay1', 'status', { s: 'created' })).toEqual({ id: 1, delivered: 0 })
    expect(await registry.send('pay1', 'status', { s: 'paying' })).toEqual({ id: 2, delivered: 0 })
    const reader = await subscribe('pay1')
    const events = await reader.waitForEvents(2)
    expect(events).toEqual([
      { id: '1', event: 'status', data: '{"s":"created"}' },
      { id: '2', event: 'status', data: '{"s":"paying"}' },
    ])
    expect(registry.stats().replays).toBe(2)
  })

  it('frames multi-byte text by its bytes, live and replayed', async () => {
    await setup()
    const text = 'café — 你好 🚀'.repeat(50)
    await registry.send('utf8', 'message', { text })
    const reader = await subscribe('utf8')
    await registry.send('utf8', 'message', { text: text.toUpperCase() })
    await reader.waitForEvents(2)
    expect(reader.data).toEqual([{ text }, { text: text.toUpperCase() }])
  })

  it('delivers each event to every subscriber of the key (two tabs)', async () => {
    await setup()
    const tab1 = await subscribe('order-7')
    const tab2 = await subscribe('order-7')
    await waitFor('both subscribed', () => registry.stats().connections === 2)
    expect(await registry.send('order-7', 'message', { n: 1 })).toEqual({ id: 1, delivered: 2 })
    expect((await tab1.waitForEvents(1))[0]?.data).toBe('{"n":1}')
    expect((await tab2.waitForEvents(1))[0]?.data).toBe('{"n":1}')
    expect(registry.stats().channels).toBe(1)
  })

  it('ends once: one terminal event, onCompletion exactly once and last, send after the end throws', async () => {
    const calls: string[] = []
    await setup({
      onCompletion: (key, end) => calls.push(`completion:${key}:${end.event}`),
      onError: () => calls.push('error'),
      onTimeout: () => calls.push('timeout'),
    })
    const tab1 = await subscribe('k1')
    const tab2 = await subscribe('k1')
    await waitFor('both subscribed', () => registry.stats().connections === 2)
    await registry.send('k1', 'message', 'hello')
    expect(await registry.complete('k1')).toBe(true)
    expect(await registry.complete('k1')).toBe(false)
    expect(await registry.error('k1', new Error('late'))).toBe(false)
    await expect(registry.send('k1', 'message', 'too late')).rejects.toBeInstanceOf(ChannelClosedError)
    for (const tab of [tab1, tab2]) {
      await tab.waitForEnd()
      expect(tab.events.map((e) => [e.id, e.event, e.data])).toEqual([
        ['1', 'message', '"hello"'],
        ['2', 'done', '{"reason":"complete"}'],
      ])
    }
    expect(calls).toEqual(['completion:k1:done'])
    expect(registry.stats()).toMatchObject({ connections: 0, channels: 0 })
  })

  it('fires the callbacks of a channel without subscribers where it is ended', async () => {
    const calls: string[] = []
    await setup({ onCompletion: (key) => calls.push(key) })
    await registry.send('lonely', 'status', 1)
    await registry.complete('lonely')
    expect(calls).toEqual(['lonely'])
  })

  it('ends with error: onError before onCompletion, for registry and per-channel callbacks', async () => {
    const calls: string[] = []
    await setup({
      onError: (_k, e) => calls.push(`registry:error:${e.code}`),
      onCompletion: () => calls.push('registry:completion'),
    })
    await registry.open('job', {
      onError: (_k, e) => calls.push(`hook:error:${e.message}`),
      onCompletion: () => calls.push('hook:completion'),
    })
    const reader = await subscribe('job')
    await waitFor('subscribed', () => registry.stats().connections === 1)
    expect(
      await registry.error('job', { code: 'provider_error', message: 'upstream failed', retriable: true }),
    ).toBe(true)
    await reader.waitForEnd()
    expect(reader.events.at(-1)).toEqual({
      id: '1',
      event: 'error',
      data: '{"code":"provider_error","message":"upstream failed","retriable":true}',
    })
    expect(calls).toEqual([
      'registry:error:provider_error',
      'hook:error:upstream failed',
      'registry:completion',
      'hook:completion',
    ])
    expect(registry.stats().channels).toBe(0)
    await expect(registry.open('job')).rejects.toBeInstanceOf(ChannelClosedError)
    expect(registry.stats().channels).toBe(0)
  })

  it('holds a producer channel open without subscribers until it ends', async () => {
    await setup()
    await registry.open('answer-1')
    expect(registry.stats().channels).toBe(1)
    const reader = await subscribe('answer-1')
    await waitFor('subscribed', () => registry.stats().connections === 1)
    reader.close()
    await waitFor('left', () => registry.stats().connections === 0)
    expect(registry.stats().channels).toBe(1)
    await registry.complete('answer-1', { reason: 'stop' })
    expect(registry.stats().channels).toBe(0)
  })

  it('logs a failure to leave the bus rather than leave it unhandled', async () => {
    const logs = logSink()
    const memory = createMemoryBus()
    const bus: Bus = {
      ...memory,
      async subscribe(key, listener) {
        await memory.subscribe(key, listener)
        return { unsubscribe: () => Promise.reject(new Error('redis went away')) }
      },
    }
    await setup({ bus, logger: logs.logger })
    const reader = await subscribe('k')
    await waitFor('subscribed', () => registry.stats().connections === 1)
    reader.close()
    await waitFor('the failure logged', () => logs.messages(50).length > 0)
    expect(logs.entries.find((e) => e.level === 50)).toMatchObject({
      key: 'k',
      msg: 'could not leave the bus',
      err: { message: 'redis went away' },
    })
    await memory.close()
  })

  it('times out after the absolute lifetime with done {reason:"timeout"}; 0 means none', async () => {
    const calls: string[] = []
    await setup({
      timeoutMs: 0,
      onTimeout: (key) => calls.push(`timeout:${key}`),
      onCompletion: (key) => calls.push(`completion:${key}`),
    })
    const forever = await subscribe('forever')
    await waitFor('subscribed', () => registry.stats().connections === 1)
    // The first opener fixes the lifetime: 'forever' was opened by its connect, with none.
    await registry.open('forever', { timeoutMs: 50 })
    expect((await registry.state('forever'))?.deadlineAt).toBeNull()
    await registry.open('timed', { timeoutMs: 80 })
    const timed = await subscribe('timed')
    await timed.waitForEnd(2000)
    expect(timed.events.at(-1)).toMatchObject({ event: 'done', data: '{"reason":"timeout"}' })
    expect(calls).toEqual(['timeout:timed', 'completion:timed'])
    await sleep(100)
    expect(forever.ended).toBe(false)
    expect(registry.stats()).toMatchObject({ timeouts: 1, channels: 1, connections: 1 })
  })

  it('gives a channel opened without a timeout the default lifetime of 10 minutes', async () => {
    await setup()
    expect(DEFAULT_CHANNEL_TIMEOUT_MS).toBe(600_000)
    const before = Date.now()
    await registry.open('default-life')
    const { deadlineAt } = (await registry.state('default-life'))!
    expect(deadlineAt! - before).toBeGreaterThanOrEqual(600_000)
    expect(deadlineAt! - Date.now()).toBeLessThanOrEqual(600_000)
  })

  it('resumes strictly after Last-Event-ID, then goes live', async () => {
    await setup()
    for (let n = 1; n <= 5; n++) await registry.send('r', 'message', n)
    const reader = await subscribe('r', { 'last-event-id': '3' })
    await reader.waitForEvents(2)
    await registry.send('r', 'message', 6)
    await reader.waitForEvents(3)
    expect(reader.events.map((e) => e.id)).toEqual(['4', '5', '6'])
    expect(reader.data).toEqual([4, 5, 6])
  })

  it('loses and doubles nothing when events race the replay', async () => {
    await setup()
    const sends: Promise<unknown>[] = []
    for (let n = 1; n <= 100; n++) sends.push(registry.send('race', 'message', n))
    const reader = SseReader.open(`${server.url}/race`)
    for (let n = 101; n <= 200; n++) sends.push(registry.send('race', 'message', n))
    await Promise.all(sends)
    readers.push(await reader)
    for (let n = 201; n <= 300; n++) await registry.send('race', 'message', n)
    const events = await (await reader).waitForEvents(300)
    expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
  })

  it('answers resume_unavailable when Last-Event-ID is older than the buffer, ahead of it or not an id', async () => {
    await setup({ replay: { maxEvents: 3 } })
    for (let n = 1; n <= 10; n++) await registry.send('trimmed', 'message', n)
    expect((await registry.state('trimmed'))?.firstId).toBe(8)
    for (const lastEventId of ['2', '99', 'abc']) {
      const reader = await subscribe('trimmed', { 'last-event-id': lastEventId })
      await reader.waitForEnd()
      expect(reader.events).toHaveLength(1)
      expect(reader.events[0]?.id).toBeUndefined()
      expect(reader.events[0]?.event).toBe('error')
      expect(JSON.parse(reader.events[0]!.data)).toMatchObject({
        code: 'resume_unavailable',
        retriable: false,
      })
    }
    const ok = await subscribe('trimmed', { 'last-event-id': '7' })
    expect((await ok.waitForEvents(3)).map((e) => e.id)).toEqual(['8', '9', '10'])
  })

  it('answers 204 to a reconnect that has already seen the end, so EventSource stops', async () => {
    await setup()
    await registry.send('fin', 'message', 1)
    await registry.complete('fin')
    const late = await subscribe('fin')
    await late.waitForEnd()
    expect(late.events.map((e) => e.event)).toEqual(['message', 'done'])
    const again = await subscribe('fin', { 'last-event-id': '2' })
    await again.waitForEnd()
    expect(again.status).toBe(204)
    expect(registry.stats()).toMatchObject({ connections: 0, channels: 0 })
  })

  it('never evicts a newer subscriber when an older one of the same key is removed', async () => {
    await setup()
    const old = await subscribe('tab')
    await waitFor('old subscribed', () => server.subscribers.length === 1)
    const newer = await subscribe('tab')
    await waitFor('newer subscribed', () => server.subscribers.length === 2)
    const [oldSubscriber, newSubscriber] = server.subscribers
    registry.remove('other-key', oldSubscriber)
    expect(registry.stats().connections).toBe(2)
    registry.remove('tab', oldSubscriber)
    await old.waitForEnd()
    expect(old.events).toEqual([])
    expect(await registry.send('tab', 'message', 'still here')).toEqual({ id: 1, delivered: 1 })
    expect((await newer.waitForEvents(1))[0]?.data).toBe('"still here"')
    expect(newSubscriber?.id).toBeGreaterThan(oldSubscriber!.id)
    registry.remove('tab')
    await newer.waitForEnd()
    expect(registry.stats()).toMatchObject({ connections: 0, channels: 0 })
  })

  it('notices a client that goes away on res close and forgets it', async () => {
    await setup()
    const reader = await subscribe('gone')
    await waitFor('subscribed', () => registry.stats().connections === 1)
    reader.close()
    await waitFor('forgotten', () => registry.stats().connections === 0 && registry.stats().channels === 0)
    expect(await registry.send('gone', 'message', 1)).toEqual({ id: 1, delivered: 0 })
  })

  it('pings idle subscribers with a comment every heartbeat interval', async () => {
    await setup({ heartbeatMs: 30 })
    const reader = await subscribe('quiet')
    await waitFor('two pings', () => reader.comments.filter((c) => c === 'ping').length >= 2, 1000)
    expect(reader.raw).toContain('\n\n: ping\n\n')
  })

  it('drops a subscriber whose socket does not drain, keeping server memory bounded', async () => {
    await setup({ maxQueueBytes: 64 * 1024, replay: { maxBytes: 256 * 1024 } })
    const socket = connectTcp(server.port, '127.0.0.1')
    socket.write(`GET /slow HTTP/1.1\r\nHost: x\r\n\r\n`)
    socket.pause()
    await waitFor('subscribed', () => registry.stats().connections === 1)
    const chunk = 'x'.repeat(1024)
    const heapBefore = settledHeap()
    for (let n = 0; n < 20_000 && registry.stats().connections > 0; n++) {
      await registry.send('slow', 'message', chunk)
      if (n % 100 === 0) await sleep(1)
    }
    expect(registry.stats()).toMatchObject({ connections: 0, drops: 1 })
    expect(registry.bus.stats().bufferedBytes).toBeLessThanOrEqual(256 * 1024)
    expect(settledHeap() - heapBefore).toBeLessThan(4 * 1024 * 1024)
    socket.destroy()
  })

  it('expires early sends nobody collects, and ended channels after their grace period', async () => {
    await setup({ earlySendTtlMs: 40, replay: { graceMs: 40 } })
    await registry.send('early', 'status', 1)
    await registry.send('ended', 'status', 1)
    await registry.complete('ended')
    expect(registry.bus.stats().channels).toBe(2)
    await sleep(120)
    expect(await registry.state('early')).toBeNull()
    expect(await registry.state('ended')).toBeNull()
    expect(registry.bus.stats()).toEqual({ channels: 0, bufferedEvents: 0, bufferedBytes: 0 })
  })

  it('rejects bad keys and event names loudly', async () => {
    await setup()
    await expect(registry.send('bad key', 'message', 1)).rejects.toBeInstanceOf(InvalidKeyError)
    await expect(registry.send('k', 'done', 1)).rejects.toBeInstanceOf(InvalidEventNameError)
    await expect(registry.send('k', 'error', 1)).rejects.toBeInstanceOf(InvalidEventNameError)
    await expect(registry.send('k', 'Status', 1)).rejects.toBeInstanceOf(InvalidEventNameError)
    await expect(registry.complete('../x')).rejects.toBeInstanceOf(InvalidKeyError)
    expect(registry.bus.stats().channels).toBe(0)
  })
})
