import { Writable } from 'node:stream'
import { providersResponseSchema } from '@kit/protocol/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createChatService,
  type ChatProvider,
  type ChatService,
  type ChatStreamEvent,
  type ProviderChunk,
} from '../../src/index'

const services: ChatService[] = []
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()))
})

function chatService(options: Parameters<typeof createChatService>[0]): ChatService {
  const service = createChatService(options)
  services.push(service)
  return service
}

/** A provider of the application's own: says one word, then waits to be stopped. */
function talkUntilStopped(): ChatProvider & { readonly signals: AbortSignal[] } {
  const signals: AbortSignal[] = []
  return {
    name: 'house',
    type: 'house-llm',
    models: ['house-1'],
    defaultModel: 'house-1',
    maxChoices: 1,
    demo: false,
    signals,
    async *stream(_request, signal): AsyncGenerator<ProviderChunk> {
      signals.push(signal)
      yield { type: 'delta', choice: 0, text: 'Thinking' }
      if (!signal.aborted)
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    },
    complete: () => Promise.reject(new Error('not used')),
  }
}

describe('createChatService outside HTTP', () => {
  it('streams an answer into any writable as it arrives, then saves it', async () => {
    const chat = chatService({
      config: { storage: { path: ':memory:' }, providers: [{ type: 'demo', tokensPerSecond: 100_000 }] },
    })
    const written: string[] = []
    const terminal = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString())
        callback()
      },
    })
    const events: ChatStreamEvent[] = []
    for await (const event of chat.ask({ userId: 'console', prompt: 'Show me what you can do' })) {
      events.push(event)
      if (event.event === 'message') terminal.write(event.data.delta)
    }
    terminal.end()

    const [start, last] = [events[0], events.at(-1)]
    if (start?.event !== 'start' || last?.event !== 'done')
      throw new Error(`unexpected ends: ${start?.event}`)
    expect(last.data.reason).toBe('stop')
    expect(last.data.usage?.completionTokens).toBeGreaterThan(0)
    expect(written.length).toBeGreaterThan(1)
    const saved = await chat.stores.history.get('console', start.data.conversationId)
    expect(saved?.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Show me what you can do'],
      ['assistant', written.join('')],
    ])
  })

  it('asks a provider of your own and stops it through the signal', async () => {
    const house = talkUntilStopped()
    const chat = chatService({ config: { storage: { path: ':memory:' } }, providers: [house] })
    const stop = new AbortController()
    const events: ChatStreamEvent[] = []
    for await (const event of chat.ask({ userId: 'u1', prompt: 'Hi' }, { signal: stop.signal })) {
      events.push(event)
      if (event.event === 'message') stop.abort()
    }
    expect(events.map((e) => e.event)).toEqual(['start', 'message', 'done'])
    expect(events.at(-1)?.data).toMatchObject({ reason: 'aborted' })
    expect(house.signals.map((signal) => signal.aborted)).toEqual([true])
  })

  it('lists a provider of your own under its own type, as GET /api/providers answers it', async () => {
    const chat = chatService({ config: { storage: { path: ':memory:' } }, providers: [talkUntilStopped()] })
    const listed = providersResponseSchema.parse({
      default: chat.providers.defaultName,
      providers: chat.providers.info(),
      templates: [],
    })
    expect(listed.providers).toEqual([
      { name: 'house', type: 'house-llm', models: ['house-1'], defaultModel: 'house-1', demo: false },
    ])
  })

  it('refuses before asking the provider, as one error event', async () => {
    const house = talkUntilStopped()
    const chat = chatService({
      config: { storage: { path: ':memory:' }, moderation: { words: ['forbidden'] } },
      providers: [house],
    })
    const events: ChatStreamEvent[] = []
    for await (const event of chat.ask({ userId: 'u2', prompt: 'say the forbidden word' })) events.push(event)
    expect(events).toEqual([{ event: 'error', data: expect.objectContaining({ code: 'content_blocked' }) }])
    expect(house.signals).toHaveLength(0)
  })
})
