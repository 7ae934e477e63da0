import type { Usage } from '@kit/protocol'
import { trimToBudget } from '../conversations/context'
import { estimateTokens } from '../conversations/tokens'
import { utcDay } from '../quotas/policy'
import type { ChatDeps } from './deps'
import type { FinishedAnswer, PreparedAnswer } from './types'

/** The provider's usage when it gave one, else an estimate: metering and quotas must not miss an answer. */
export function usageOf(
  answer: PreparedAnswer,
  texts: readonly string[],
  reported: Usage | undefined,
): Usage {
  if (reported) return reported
  const promptTokens = answer.request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0)
  const completionTokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0)
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens }
}

/** Saves a finished answer: history, usage and the conversation's context (its quota was reserved ahead). */
export async function recordAnswer(deps: ChatDeps, { answer, text, usage }: FinishedAnswer): Promise<void> {
  const now = deps.clock.now()
  const at = new Date(now).toISOString()
  const { userId, conversationId, provider } = answer
  const model = answer.request.model
  const reply = { role: 'assistant' as const, content: text }
  await Promise.all([
    deps.stores.history.append({
      userId,
      conversationId,
      title: answer.title,
      at,
      messages: [
        { id: answer.promptId, createdAt: new Date(answer.askedAt).toISOString(), ...answer.prompt },
        { id: answer.messageId, createdAt: at, provider: provider.name, model, ...reply },
      ],
    }),
    deps.stores.usage.record({ userId, provider: provider.name, model, day: utcDay(now), at, ...usage }),
    deps.stores.sessions.set(
      userId,
      conversationId,
      trimToBudget([...answer.context, answer.prompt, reply], deps.contextTokens),
    ),
  ])
}
