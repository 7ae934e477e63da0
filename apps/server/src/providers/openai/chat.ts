import type OpenAI from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions'
import type { Usage } from '@kit/protocol'
import type { ChatMessage, ProviderChunk, ProviderCompletion, ProviderRequest } from '../types'
import { mapOpenAIError } from './errors'

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role === 'tool')
    return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
  if (message.role !== 'assistant' || !message.toolCalls?.length)
    return { role: message.role, content: message.content }
  return {
    role: 'assistant',
    content: message.content,
    tool_calls: message.toolCalls.map(({ id, name, arguments: args }) => ({
      id,
      type: 'function',
      function: { name, arguments: args },
    })),
  }
}

function body(request: ProviderRequest): ChatCompletionCreateParamsBase {
  return {
    model: request.model,
    messages: request.messages.map(toOpenAIMessage),
    // `max_tokens` rather than `max_completion_tokens`: every OpenAI-compatible server understands it.
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.n === undefined || request.n === 1 ? {} : { n: request.n }),
    ...(request.user === undefined ? {} : { user: request.user }),
  }
}

function usageOf(usage: OpenAI.CompletionUsage | null | undefined): Usage | undefined {
  if (!usage) return undefined
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
  }
}

function* chunksOf(chunk: ChatCompletionChunk): Generator<ProviderChunk> {
  for (const choice of chunk.choices) {
    if (choice.delta?.content) yield { type: 'delta', choice: choice.index, text: choice.delta.content }
    if (choice.finish_reason) yield { type: 'finish', choice: choice.index, reason: choice.finish_reason }
  }
  const usage = usageOf(chunk.usage)
  if (usage) yield { type: 'usage', usage }
}

/** One streamed attempt with one client; the SDK ends quietly on abort, so the caller checks its signal. */
export async function* streamChat(
  provider: string,
  client: OpenAI,
  request: ProviderRequest,
  signal: AbortSignal,
): AsyncGenerator<ProviderChunk> {
  try {
    const stream = await client.chat.completions.create(
      { ...body(request), stream: true, stream_options: { include_usage: true } },
      { signal },
    )
    for await (const chunk of stream) yield* chunksOf(chunk)
  } catch (err) {
    throw mapOpenAIError(provider, err)
  }
}

export async function completeChat(
  provider: string,
  client: OpenAI,
  request: ProviderRequest,
  signal: AbortSignal,
): Promise<ProviderCompletion> {
  try {
    const completion = await client.chat.completions.create({ ...body(request), stream: false }, { signal })
    const usage = usageOf(completion.usage)
    return {
      choices: completion.choices.map((c) => ({
        index: c.index,
        content: c.message.content ?? '',
        finishReason: c.finish_reason ?? null,
      })),
      ...(usage ? { usage } : {}),
    }
  } catch (err) {
    throw mapOpenAIError(provider, err)
  }
}
