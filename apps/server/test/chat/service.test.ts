import { ErrorCode } from '@kit/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createChatService } from '../../src/chat'
import type { AskInput, ChatService, ChatStreamEvent } from '../../src/chat'
import type { ChatConfigInput } from '../../src/config/chat'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { BLOCKED_ANSWER } from '../moderation/scripted'

let fake: FakeOpenAI
const services: ChatService[] = []

beforeAll(async () => {
  fake = await startFakeOpenAI()
})
afterAll(() => fake.close())
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()))
  fake.requests.length = 0
  fake.chunkDelayMs = 0
  fake.answer = (prompt, choice) => (choice === 0 ? `Echo: ${prompt}` : `Echo ${choice}: ${prompt}`)
})

class FakeClock {
  constructor(public ms = Date.parse('2026-03-01T10:00:00Z')) {}
  now = () => this.ms
  advance(ms: number) {
    this.ms += ms
  }
}

function service(config: ChatConfigInput = {}, clock = new FakeClock()): ChatService {
  const created = createChatService({
    clock,
    config: {
      storage: { path: ':memory:' },
      providers: [
        {
          type: 'openai',
          name: 'fake',
          apiKeys: ['sk-test-key'],
          baseUrl: fake.url,
          retries: 0,
          models: ['gpt-4o-mini', 'gpt-4o'],
        },
        { type: 'demo', tokensPerSecond: 100_000 },
      ],
      ...config,
    },
  })
  services.push(created)
  return created
}

async function events(
  chat: ChatService,
  input: Partial<AskInput> & { prompt: string },
  signal?: AbortSignal,
) {
  const out: ChatStreamEvent[] = []
  for await (const event of chat.ask({ userId: 'alice', ...input }, signal ? { signal } : {})) out.push(event)
  return out
}

const text = (all: ChatStreamEvent[], choice = 0) =>
  all.map((e) => (e.event === 'message' && e.data.choice === choice ? e.data.delta : '')).join('')
const chatBodies = () =>
  fake.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as { messages: unknown[] })

describe('chat service: answers and records', () => {
  it('streams start, deltas and done with usage, then history, usage and the quota count hold the answer', async () => {
    const chat = service()
    const all = await events(chat, { prompt: 'hello world' })
    const [start] = all
    expect(start?.event).toBe('start')
    expect(text(all)).toBe('Echo: hello world')
    expect(all.at(-1)).toEqual({
      event: 'done',
      data: { reason: 'stop', usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 } },
    })
    const { conversationId, messageId } =
      start?.event === 'start' ? start.data : { conversationId: '', messageId: '' }
    const saved = await chat.stores.history.get('alice', conversationId)
    expect(saved?.title).toBe('hello world')
    expect(saved?.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hello world'],
      ['assistant', 'Echo: hello world'],
    ])
    expect(saved?.messages[1]).toMatchObject({ id: messageId, provider: 'fake', model: 'gpt-4o-mini' })
    expect(await chat.stores.usage.aggregate({})).toEqual([
      {
        day: '2026-03-01',
        provider: 'fake',
        model: 'gpt-4o-mini',
        promptTokens: 2,
        completionTokens: 3,
        totalTokens: 5,
        requests: 1,
      },
    ])
    expect(await chat.stores.quotas.get({ userId: 'alice', day: '2026-03-01', group: 'default' })).toBe(1)
    expect(await chat.stores.history.get('bob', conversationId)).toBeUndefined()
  })

  it('titles a conversation with the first 255 characters of its first prompt', async () => {
    const chat = service()
    const prompt = `${'é'.repeat(254)}😀 and more`
    await events(chat, { prompt, conversationId: 'long', provider: 'demo' })
    await events(chat, { prompt: 'second', conversationId: 'long', provider: 'demo' })
    const [summary] = await chat.stores.history.list('alice')
    expect(summary?.title).toBe(`${'é'.repeat(254)}😀`)
    expect((await chat.stores.history.get('alice', 'long'))?.messages).toHaveLength(4)
  })

  it('sends the conversation so far with each prompt, trimmed to the token budget', async () => {
    const chat = service({ sessions: { contextTokens: 15 } })
    await events(chat, { prompt: 'first question here', conversationId: 'c1' })
    await events(chat, { prompt: 'second', conversationId: 'c1' })
    await events(chat, { prompt: 'third question now', conversationId: 'c1' })
    const [, second, third] = chatBodies()
    expect(second?.messages).toEqual([
      { role: 'user', content: 'first question here' },
      { role: 'assistant', content: 'Echo: first question here' },
      { role: 'user', content: 'second' },
    ])
    // About four characters a token: the new prompt takes 5 of the 15, the last exchange 5, the one before
    // would need 12 more, so it is dropped.
    expect(third?.messages).toEqual([
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'Echo: second' },
      { role: 'user', content: 'third question now' },
    ])
  })

  it('forgets a conversation idle for sessions.idleMinutes, and not before', async () => {
    const clock = new FakeClock()
    const chat = service({ sessions: { idleMinutes: 1 } }, clock)
    await events(chat, { prompt: 'remember me', conversationId: 'c2' })
    clock.advance(59_000)
    await events(chat, { prompt: 'still there?', conversationId: 'c2' })
    clock.advance(60_001)
    await events(chat, { prompt: 'and now?', conversationId: 'c2' })
    const [, kept, forgotten] = chatBodies()
    expect(kept?.messages).toHaveLength(3)
    expect(forgotten?.messages).toEqual([{ role: 'user', content: 'and now?' }])
  })

  it('continues the user’s latest conversation when none is named, with sessions.continueLatest', async () => {
    const clock = new FakeClock()
    const chat = service({ sessions: { idleMinutes: 1, continueLatest: true } }, clock)
    const startOf = (all: ChatStreamEvent[]) => (all[0]?.event === 'start' ? all[0].data : undefined)
    const first = startOf(await events(chat, { prompt: 'my name is Ada' }))
    const second = startOf(await events(chat, { prompt: 'what is my name?' }))
    const bobs = startOf(await events(chat, { prompt: 'who am I?', userId: 'bob' }))
    clock.advance(60_001)
    const afterIdle = startOf(await events(chat, { prompt: 'still there?' }))
    await events(chat, { prompt: 'back to it', conversationId: 'other' })
    const latest = startOf(await events(chat, { prompt: 'and now?' }))

    expect(second?.conversationId).toBe(first?.conversationId)
    expect(bobs?.conversationId).not.toBe(first?.conversationId)
    expect(afterIdle?.conversationId).not.toBe(first?.conversationId)
    expect(latest?.conversationId).toBe('other')
    const [, remembered, bob, forgotten] = chatBodies()
    expect(remembered?.messages).toEqual([
      { role: 'user', content: 'my name is Ada' },
      { role: 'assistant', content: 'Echo: my name is Ada' },
      { role: 'user', content: 'what is my name?' },
    ])
    expect(bob?.messages).toHaveLength(1)
    expect(forgotten?.messages).toEqual([{ role: 'user', content: 'still there?' }])
    expect((await chat.stores.history.get('alice', first?.conversationId ?? ''))?.messages).toHaveLength(4)
  })

  it('starts a new conversation for each request without one by default', async () => {
    const chat = service()
    const ids = []
    for (const prompt of ['one', 'two']) {
      const [start] = await events(chat, { prompt })
      ids.push(start?.event === 'start' ? start.data.conversationId : undefined)
    }
    expect(new Set(ids).size).toBe(2)
    expect(chatBodies()[1]?.messages).toEqual([{ role: 'user', content: 'two' }])
  })

  it('applies a template with its default argument, or the one given', async () => {
    const chat = service()
    await events(chat, { prompt: 'Bonjour', template: 'translate' })
    await events(chat, { prompt: 'Hello', template: 'translate', templateArgs: { language: 'French' } })
    await events(chat, { prompt: 'x = 1', template: 'explain-code' })
    const [english, french, code] = chatBodies()
    expect(english?.messages).toEqual([
      {
        role: 'user',
        content: 'Translate the following text into English. Answer with the translation only.\n\nBonjour',
      },
    ])
    expect(JSON.stringify(french?.messages)).toContain('into French')
    expect(code?.messages[0]).toMatchObject({ role: 'system' })
    expect(JSON.stringify(code?.messages[1])).toContain('```\\nx = 1\\n```')
  })

  it('refuses an unknown template or argument before asking the provider', async () => {
    const chat = service({
      templates: [
        { name: 'shout', label: 'Shout', prompt: 'SHOUT {{input}} {{tone}}', args: [{ name: 'tone' }] },
      ],
    })
    expect((await events(chat, { prompt: 'x', template: 'translate' }))[0]).toMatchObject({
      event: 'error',
      data: { code: ErrorCode.UnknownTemplate },
    })
    expect((await events(chat, { prompt: 'x', template: 'shout' }))[0]).toMatchObject({
      data: { code: ErrorCode.ValidationFailed, message: expect.stringContaining('tone') },
    })
    expect(
      (await events(chat, { prompt: 'x', template: 'shout', templateArgs: { tone: 'a', mood: 'b' } }))[0],
    ).toMatchObject({
      data: { code: ErrorCode.ValidationFailed, message: expect.stringContaining('mood') },
    })
    await events(chat, { prompt: 'hi {{tone}}', template: 'shout', templateArgs: { tone: '{{input}}' } })
    expect(chatBodies().map((b) => b.messages)).toEqual([
      [{ role: 'user', content: 'SHOUT hi {{tone}} {{input}}' }],
    ])
  })
})

describe('chat service: refusals and failures', () => {
  it('blocks a prompt with a sensitive word without calling the provider', async () => {
    const chat = service({ moderation: { words: ['Forbidden'] } })
    const all = await events(chat, { prompt: 'say FORBIDDEN things' })
    expect(all).toEqual([
      {
        event: 'error',
        data: { code: ErrorCode.ContentBlocked, message: expect.any(String), retriable: false },
      },
    ])
    expect(chatBodies()).toHaveLength(0)
  })

  it('stops an answer that streams a sensitive word, never sending any part of it', async () => {
    const chat = service({ moderation: { words: ['secretword'] } })
    fake.answer = () => `all fine until secret word secretword appears${' and more'.repeat(30)}`
    fake.chunkDelayMs = 5
    const all = await events(chat, { prompt: 'go' })
    expect(all.at(-1)).toEqual(BLOCKED_ANSWER)
    expect(text(all)).toContain('all fine')
    expect(text(all)).not.toMatch(/secretw/)
    await expect.poll(() => fake.requests[0]?.clientClosed).toBe(true)
    // The question stays; the answer keeps nothing of what it said, as the client drops it too.
    const [conversation] = await chat.stores.history.list('alice')
    const saved = await chat.stores.history.get('alice', conversation?.id ?? '')
    expect(saved?.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'go', undefined],
      ['assistant', '', 'interrupted'],
    ])
  })

  it('counts answers per user, day and model group, and refuses past the quota before any provider call', async () => {
    const clock = new FakeClock()
    const chat = service({ quotas: { groups: [{ name: 'premium', models: ['gpt-4o'], daily: 1 }] } }, clock)
    expect((await events(chat, { prompt: 'a', model: 'gpt-4o' })).at(-1)?.event).toBe('done')
    expect(await events(chat, { prompt: 'b', model: 'gpt-4o' })).toEqual([
      {
        event: 'error',
        data: {
          code: ErrorCode.QuotaExceeded,
          message: expect.stringContaining('premium'),
          retriable: true,
          // The fake clock is at 10:00 UTC: the quota day ends in 14 hours.
          resetAt: '2026-03-02T00:00:00.000Z',
          retryAfterSeconds: 14 * 3600,
        },
      },
    ])
    expect((await events(chat, { prompt: 'c', model: 'gpt-4o-mini' })).at(-1)?.event).toBe('done')
    expect((await events(chat, { prompt: 'd', model: 'gpt-4o', userId: 'bob' })).at(-1)?.event).toBe('done')
    expect(chatBodies()).toHaveLength(3)
    clock.advance(24 * 3600_000)
    expect((await events(chat, { prompt: 'e', model: 'gpt-4o' })).at(-1)?.event).toBe('done')
  })

  it('ends with the provider error, its code and nothing recorded', async () => {
    const chat = service()
    fake.enqueue({ kind: 'status', status: 429, code: 'insufficient_quota' })
    const all = await events(chat, { prompt: 'hi' })
    expect(all.map((e) => e.event)).toEqual(['start', 'error'])
    expect(all[1]?.data).toMatchObject({
      code: ErrorCode.ProviderQuota,
      provider: 'fake',
      providerCode: 'insufficient_quota',
    })
    expect(await chat.stores.usage.aggregate({})).toEqual([])
  })

  it('ends an aborted answer with done aborted and keeps the partial answer', async () => {
    const chat = service()
    fake.chunkDelayMs = 20
    const controller = new AbortController()
    const all: ChatStreamEvent[] = []
    for await (const event of chat.ask(
      { userId: 'alice', prompt: 'one two three four five six', conversationId: 'ab' },
      { signal: controller.signal },
    )) {
      all.push(event)
      if (event.event === 'message') controller.abort()
    }
    expect(all.at(-1)).toMatchObject({ event: 'done', data: { reason: 'aborted' } })
    const saved = await chat.stores.history.get('alice', 'ab')
    expect(saved?.messages[1]?.content).toBe(text(all))
    await fake.clientClose()
  })

  it('refuses an unknown provider, an unknown model and too many choices', async () => {
    const chat = service({
      providers: [{ type: 'spark', name: 'xf', credentials: { appId: 'a', apiKey: 'k', apiSecret: 's' } }],
    })
    await expect(chat.prepare({ userId: 'u', prompt: 'x', provider: 'nope' })).rejects.toMatchObject({
      code: ErrorCode.UnknownProvider,
    })
    await expect(chat.prepare({ userId: 'u', prompt: 'x', model: 'gpt-4o' })).rejects.toMatchObject({
      code: ErrorCode.UnknownModel,
    })
    await expect(chat.prepare({ userId: 'u', prompt: 'x', options: { n: 2 } })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    })
  })
})

describe('chat service: completions', () => {
  it('answers every choice at once and records the first', async () => {
    const chat = service()
    const answer = await chat.complete({
      userId: 'alice',
      prompt: 'both',
      options: { n: 2 },
      conversationId: 'cc',
    })
    expect(answer).toMatchObject({
      conversationId: 'cc',
      provider: 'fake',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, content: 'Echo: both', finishReason: 'stop' },
        { index: 1, content: 'Echo 1: both', finishReason: 'stop' },
      ],
      usage: { promptTokens: 1, completionTokens: 5, totalTokens: 6 },
    })
    expect((await chat.stores.history.get('alice', 'cc'))?.messages[1]?.content).toBe('Echo: both')
  })

  it('turns provider failures and blocked answers into HTTP errors', async () => {
    // keyProbe 0: the key the scripted 401 took out of rotation is tried again by the next request.
    const chat = service({
      moderation: { words: ['echo'] },
      providers: [
        {
          type: 'openai',
          name: 'fake',
          apiKeys: ['sk-test-key'],
          baseUrl: fake.url,
          keyProbe: { baseMs: 0 },
        },
      ],
    })
    fake.enqueue({ kind: 'status', status: 401 })
    await expect(chat.complete({ userId: 'a', prompt: 'x' })).rejects.toMatchObject({
      code: ErrorCode.ProviderAuth,
    })
    await expect(chat.complete({ userId: 'a', prompt: 'x' })).rejects.toMatchObject({
      code: ErrorCode.ContentBlocked,
    })
  })
})

/** Saved often, so that a short answer shows its checkpoints. */
const checkpointed: ChatConfigInput = {
  history: { checkpointMs: 20, checkpointChars: 1_000_000, interruptedAfterMs: 60_000 },
}

const received = (all: ChatStreamEvent[]) =>
  all.map((e) => (e.event === 'message' ? e.data.delta : '')).join('')

/** The saved question and answer of the conversation, as [role, content, status]. */
async function saved(chat: ChatService, conversationId: string) {
  const conversation = await chat.stores.history.get('alice', conversationId)
  return conversation?.messages.map((m) => [m.role, m.content, m.status])
}

describe('history while an answer runs', () => {
  it('holds the question from the start and the answer as it grows, then the whole answer', async () => {
    const chat = service(checkpointed)
    fake.answer = () => 'one two three four five six seven eight nine ten '.repeat(4)
    fake.chunkDelayMs = 15
    const all: ChatStreamEvent[] = []
    const seen: (string | undefined)[][] = []
    for await (const event of chat.ask({ userId: 'alice', prompt: 'count', conversationId: 'grows' })) {
      all.push(event)
      const messages = (await saved(chat, 'grows')) ?? []
      if (event.event === 'start')
        expect(messages).toEqual([
          ['user', 'count', undefined],
          ['assistant', '', 'streaming'],
        ])
      if (event.event === 'message') seen.push(messages[1] as (string | undefined)[])
    }
    expect(all.at(-1)?.event).toBe('done')
    const text = received(all)
    const checkpoints = seen.filter(([, content]) => content !== '')
    expect(checkpoints.length).toBeGreaterThan(1)
    for (const [role, content, status] of checkpoints) {
      expect([role, status]).toEqual(['assistant', 'streaming'])
      expect(text.startsWith(content ?? '')).toBe(true)
    }
    expect(await saved(chat, 'grows')).toEqual([
      ['user', 'count', undefined],
      ['assistant', text, undefined],
    ])
  })

  it('keeps the question and the partial answer as interrupted when the provider fails mid-answer', async () => {
    const chat = service(checkpointed)
    fake.answer = () => 'alpha beta gamma delta epsilon zeta eta theta'
    fake.enqueue({ kind: 'stream-error', afterChunks: 3, code: 'server_error', type: 'server_error' })
    const all: ChatStreamEvent[] = []
    for await (const event of chat.ask({ userId: 'alice', prompt: 'greek', conversationId: 'failed' })) {
      all.push(event)
    }
    expect(all.at(-1)?.event).toBe('error')
    expect(received(all)).not.toBe('')
    expect(await saved(chat, 'failed')).toEqual([
      ['user', 'greek', undefined],
      ['assistant', received(all), 'interrupted'],
    ])
  })

  it('keeps what was sent as interrupted when its consumer stops reading (its bus failed)', async () => {
    const chat = service(checkpointed)
    fake.answer = () => 'a b c d e f g h i j k l m n o p'
    fake.chunkDelayMs = 10
    const all: ChatStreamEvent[] = []
    for await (const event of chat.ask({ userId: 'alice', prompt: 'letters', conversationId: 'left' })) {
      all.push(event)
      if (all.filter((e) => e.event === 'message').length === 3) break
    }
    expect(await saved(chat, 'left')).toEqual([
      ['user', 'letters', undefined],
      ['assistant', received(all), 'interrupted'],
    ])
    await fake.clientClose()
  })
})
