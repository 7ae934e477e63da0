import type { ChatMessage } from '../providers/types'
import { estimateTokens } from './tokens'

/** The newest messages that fit in `budget` tokens, oldest dropped first. */
export function trimToBudget(messages: readonly ChatMessage[], budget: number): ChatMessage[] {
  const kept: ChatMessage[] = []
  let used = 0
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as ChatMessage
    used += estimateTokens(message.content)
    if (used > budget) break
    kept.unshift(message)
  }
  return kept
}

/**
 * What a provider is sent: the template's instructions, then as much context as fits beside them and the
 * new prompt, then the prompt (always, even alone over the budget).
 */
export function buildMessages(
  context: readonly ChatMessage[],
  prompt: ChatMessage,
  budget: number,
  system?: string,
): ChatMessage[] {
  const fixed = estimateTokens(prompt.content) + (system ? estimateTokens(system) : 0)
  const history = trimToBudget(context, Math.max(0, budget - fixed))
  return [...(system ? [{ role: 'system' as const, content: system }] : []), ...history, prompt]
}
