import type { DemoInstanceConfig } from '../../config/chat'
import { collectCompletion } from '../collect'
import { sleep } from '../retry'
import type { ChatProvider, ProviderChunk, ProviderRequest } from '../types'
import { createDemoImages } from './images'
import { demoAnswer, demoTokens } from './answer'
import { estimateTokens } from '../../conversations/tokens'

export const DEMO_MODEL = 'demo-markdown'

function lastPrompt(request: ProviderRequest): string {
  return request.messages.findLast((m) => m.role === 'user')?.content ?? ''
}

/**
 * Emits every choice's tokens in turn at `tokensPerSecond`; `maxTokens` cuts each choice short with reason
 * `length`, as a real model would.
 */
async function* demoStream(
  request: ProviderRequest,
  tokensPerSecond: number | undefined,
  signal: AbortSignal,
): AsyncGenerator<ProviderChunk> {
  const prompt = lastPrompt(request)
  const choices = Array.from({ length: request.n ?? 1 }, (_, i) => demoTokens(demoAnswer(prompt, i)))
  const limit = request.maxTokens ?? Infinity
  const longest = Math.min(limit, Math.max(...choices.map((tokens) => tokens.length)))
  let completionTokens = 0
  const started = Date.now()
  for (let step = 0; step < longest && !signal.aborted; step++) {
    // Waits for each token's due time rather than a fixed gap, so timer granularity never slows fast rates.
    const wait =
      tokensPerSecond === undefined ? 0 : started + ((step + 1) * 1000) / tokensPerSecond - Date.now()
    if (wait >= 1) await sleep(wait, signal)
    for (const [choice, tokens] of choices.entries()) {
      const text = tokens[step]
      if (text === undefined) continue
      completionTokens++
      yield { type: 'delta', choice, text }
      if (step === tokens.length - 1) yield { type: 'finish', choice, reason: 'stop' }
    }
  }
  if (signal.aborted) return
  for (const [choice, tokens] of choices.entries()) {
    if (tokens.length > limit) yield { type: 'finish', choice, reason: 'length' }
  }
  const promptTokens = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0)
  yield {
    type: 'usage',
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
  }
}

export function createDemoProvider(config: DemoInstanceConfig): ChatProvider {
  const models = config.models ?? [DEMO_MODEL]
  return {
    name: config.name,
    type: 'demo',
    models,
    defaultModel: config.defaultModel ?? models[0] ?? DEMO_MODEL,
    maxChoices: 10,
    demo: true,
    stream: (request, signal) => demoStream(request, config.tokensPerSecond, signal),
    // A completion is not streamed, so there is nothing to pace.
    complete: (request, signal) => collectCompletion(demoStream(request, undefined, signal)),
    images: createDemoImages(),
  }
}
