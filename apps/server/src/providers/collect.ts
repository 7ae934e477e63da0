import type { Usage } from '@kit/protocol'
import type { FinishReason, ProviderChunk, ProviderCompletion } from './types'

/** Gathers a streamed answer into a completion, for providers without a non-streaming call of their own. */
export async function collectCompletion(stream: AsyncIterable<ProviderChunk>): Promise<ProviderCompletion> {
  const texts: string[] = []
  const reasons: (FinishReason | null)[] = []
  let usage: Usage | undefined
  for await (const chunk of stream) {
    if (chunk.type === 'usage') usage = chunk.usage
    else if (chunk.type === 'delta') texts[chunk.choice] = (texts[chunk.choice] ?? '') + chunk.text
    else if (chunk.type === 'finish') reasons[chunk.choice] = chunk.reason
  }
  const count = Math.max(texts.length, reasons.length)
  const choices = Array.from({ length: count }, (_, index) => ({
    index,
    content: texts[index] ?? '',
    finishReason: reasons[index] ?? null,
  }))
  return { choices, ...(usage ? { usage } : {}) }
}
