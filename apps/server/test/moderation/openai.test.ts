import { ErrorCode } from '@kit/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chatConfigSchema } from '../../src/config/chat'
import type { Moderator } from '../../src/index'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { askAll, BLOCKED_ANSWER, scriptedProvider, shown, useChatServices } from './scripted'

let fake: FakeOpenAI
beforeAll(async () => {
  fake = await startFakeOpenAI()
})
afterAll(() => fake.close())
afterEach(() => {
  fake.requests.length = 0
  fake.moderate = () => []
})

const services = useChatServices()
const moderationRequests = () => fake.requests.filter((r) => r.path === '/v1/moderations')
const flagViolence = (text: string) => (text.includes('hurt') ? ['violence', 'violence/graphic'] : [])

function chatWithOpenAI(openai: Record<string, unknown> = {}) {
  const provider = scriptedProvider()
  const chat = services({
    providers: [provider],
    config: {
      moderation: {
        words: ['badword'],
        openai: { enabled: true, apiKey: 'sk-test-key', baseUrl: fake.url, segmentChars: 60, ...openai },
      },
    },
  })
  return { provider, chat }
}

const CLEAN = 'A calm answer about gardening. Water the plants in the morning, never at noon. '

describe('moderation: OpenAI /v1/moderations behind moderation.openai.enabled', () => {
  it('refuses a prompt OpenAI flags, before the provider is asked', async () => {
    fake.moderate = flagViolence
    const { provider, chat } = chatWithOpenAI()
    expect(await askAll(chat, 'how to hurt someone')).toEqual([
      {
        event: 'error',
        data: { code: ErrorCode.ContentBlocked, message: expect.any(String), retriable: false },
      },
    ])
    expect(provider.calls).toBe(0)
    const [request] = moderationRequests()
    expect(request?.method).toBe('POST')
    expect(request?.headers.authorization).toBe('Bearer sk-test-key')
    expect(request?.body).toEqual({ model: 'omni-moderation-latest', input: 'how to hurt someone' })
  })

  it('does not ask OpenAI about a prompt the word list already refused', async () => {
    const { chat } = chatWithOpenAI()
    expect((await askAll(chat, 'a badword')).at(-1)?.event).toBe('error')
    expect(moderationRequests()).toHaveLength(0)
  })

  it('streams a clean answer part by part, each part checked before it is sent', async () => {
    const { provider, chat } = chatWithOpenAI()
    provider.deltas = Array.from(CLEAN.repeat(3).match(/.{1,7}/gs)!)
    const events = await askAll(chat, 'tell me about gardening')
    expect(events.at(-1)?.event).toBe('done')
    expect(shown(events)).toBe(CLEAN.repeat(3))
    // Still streaming: the answer arrives in several messages, not once at the end.
    expect(events.filter((e) => e.event === 'message').length).toBeGreaterThanOrEqual(3)
    const inputs = moderationRequests().map((r) => (r.body as { input: string }).input)
    expect(inputs[0]).toBe('tell me about gardening')
    expect(inputs.length).toBeGreaterThanOrEqual(4)
    // Every character of the answer was in some checked part.
    expect(inputs.slice(1).join('')).toContain(CLEAN.slice(0, 40))
    for (const input of inputs.slice(1)) expect(input.length).toBeLessThanOrEqual(100 + 60 + 7)
  })

  it('stops an answer in the part OpenAI flags; that part never reaches the client', async () => {
    fake.moderate = flagViolence
    const { provider, chat } = chatWithOpenAI()
    const answer = `${CLEAN}${CLEAN}Then you hurt them badly, in detail. ${CLEAN}`
    provider.deltas = Array.from(answer.match(/.{1,5}/gs)!)
    const events = await askAll(chat, 'go')
    expect(events.at(-1)).toEqual(BLOCKED_ANSWER)
    const sent = shown(events)
    expect(sent.length).toBeGreaterThan(0)
    expect(answer.startsWith(sent)).toBe(true)
    expect(sent).not.toContain('hurt')
  })

  it('flags only the configured categories', async () => {
    fake.moderate = flagViolence
    const { chat } = chatWithOpenAI({ categories: ['self-harm', 'self-harm/intent'] })
    expect((await askAll(chat, 'a movie where the hero gets hurt')).at(-1)?.event).toBe('done')
  })

  it("ends the request with the endpoint's failure instead of letting the text through", async () => {
    const { provider, chat } = chatWithOpenAI()
    fake.enqueue({ kind: 'status', status: 401 })
    expect(await askAll(chat, 'hello')).toEqual([
      {
        event: 'error',
        data: expect.objectContaining({ code: ErrorCode.ProviderAuth, retriable: false }),
      },
    ])
    expect(provider.calls).toBe(0)

    provider.deltas = [CLEAN, CLEAN]
    // The prompt passes; the first part of the answer meets the failure.
    const stream = provider.stream.bind(provider)
    provider.stream = (request, signal) => {
      fake.enqueue({ kind: 'status', status: 500 })
      return stream(request, signal)
    }
    fake.requests.length = 0
    const events = await askAll(chat, 'hello')
    expect(moderationRequests()).toHaveLength(2)
    expect(events.at(-1)).toEqual({ event: 'error', data: expect.objectContaining({ retriable: true }) })
    expect(shown(events)).toBe('')
  })

  it('is off unless enabled, and needs a key to be enabled', async () => {
    const { chat } = chatWithOpenAI({ enabled: false })
    expect((await askAll(chat, 'hello')).at(-1)?.event).toBe('done')
    expect(moderationRequests()).toHaveLength(0)
    expect(() => chatConfigSchema.parse({ moderation: { openai: { enabled: true } } })).toThrow(/apiKey/)
  })
})

describe('moderation: a moderator of your own', () => {
  it('is asked after the word list, about prompts and answers', async () => {
    const seen: string[] = []
    const own: Moderator = {
      checkPrompt: (prompt) => Promise.resolve(prompt.includes('secret') ? 'own rule' : undefined),
      stream: () => ({
        push: (delta) => {
          seen.push(delta)
          return Promise.resolve(delta.includes('leak') ? { blocked: 'own rule' } : { text: delta })
        },
        flush: () => Promise.resolve({ text: '' }),
      }),
    }
    const provider = scriptedProvider()
    const chat = services({
      providers: [provider],
      moderator: own,
      config: { moderation: { words: ['badword'] } },
    })
    expect((await askAll(chat, 'the secret plan')).at(-1)).toMatchObject({
      event: 'error',
      data: { code: ErrorCode.ContentBlocked },
    })
    provider.deltas = ['fine so far, ', 'then a leak']
    const events = await askAll(chat, 'go')
    expect(events.at(-1)).toEqual(BLOCKED_ANSWER)
    expect(shown(events)).toBe('fine so far, ')
    // What the word list released is what the next moderator saw.
    expect(seen).toEqual(['fine so far, ', 'then a leak'])
  })
})
