import { ErrorCode } from '@kit/protocol'
import { afterEach, expect } from 'vitest'
import {
  createChatService,
  type ChatProvider,
  type ChatService,
  type ChatServiceOptions,
  type ChatStreamEvent,
  type ProviderChunk,
} from '../../src/index'

/** A provider of the application's own that streams the deltas it is given, exactly as cut. */
export interface ScriptedProvider extends ChatProvider {
  deltas: string[]
  /** How many times it was asked. */
  calls: number
}

export function scriptedProvider(): ScriptedProvider {
  const provider: ScriptedProvider = {
    name: 'scripted',
    type: 'scripted',
    models: ['scripted-1'],
    defaultModel: 'scripted-1',
    maxChoices: 1,
    demo: false,
    deltas: [],
    calls: 0,
    async *stream(): AsyncGenerator<ProviderChunk> {
      provider.calls++
      for (const text of provider.deltas) yield { type: 'delta', choice: 0, text }
      yield { type: 'finish', choice: 0, reason: 'stop' }
    },
    complete: () => {
      provider.calls++
      return Promise.resolve({
        choices: [{ index: 0, content: provider.deltas.join(''), finishReason: 'stop' }],
      })
    },
  }
  return provider
}

/** Chat services of a test file, closed after each test. */
export function useChatServices(): (options: ChatServiceOptions) => ChatService {
  const services: ChatService[] = []
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()))
  })
  return (options) => {
    const service = createChatService({
      ...options,
      config: { storage: { path: ':memory:' }, ...options.config },
    })
    services.push(service)
    return service
  }
}

export async function askAll(chat: ChatService, prompt: string): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = []
  for await (const event of chat.ask({ userId: 'alice', prompt })) events.push(event)
  return events
}

/** The answer text the client received. */
export const shown = (events: readonly ChatStreamEvent[]): string =>
  events.map((e) => (e.event === 'message' ? e.data.delta : '')).join('')

/** The last event of an answer stopped by moderation: the client drops what it already showed. */
export const BLOCKED_ANSWER = {
  event: 'error',
  data: {
    code: ErrorCode.ContentBlocked,
    message: expect.any(String),
    retriable: false,
    discardPartial: true,
  },
}
