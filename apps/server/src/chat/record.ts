import type { SavedStatus, Usage } from '@kit/protocol'
import { trimToBudget } from '../conversations/context'
import { estimateTokens } from '../conversations/tokens'
import { utcDay } from '../quotas/policy'
import type { SavedExchange } from '../storage/types'
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

/** The question and the answer as far as `text` goes, as history saves them; no status = complete. */
function exchangeOf(
  deps: ChatDeps,
  answer: PreparedAnswer,
  text: string,
  status?: SavedStatus,
): SavedExchange {
  const at = new Date(deps.clock.now()).toISOString()
  const { provider, request } = answer
  return {
    userId: answer.userId,
    conversationId: answer.conversationId,
    title: answer.title,
    at,
    messages: [
      { id: answer.promptId, createdAt: new Date(answer.askedAt).toISOString(), ...answer.prompt },
      {
        id: answer.messageId,
        // The answer's place and time are those of its first save; later saves only change its text.
        createdAt: new Date(answer.askedAt).toISOString(),
        provider: provider.name,
        model: request.model,
        role: 'assistant',
        content: text,
        ...(status ? { status } : {}),
      },
    ],
  }
}

/** Saves the answer as far as it got; one key per answer, so a newer save replaces one still waiting. */
export const saveExchange = (
  deps: ChatDeps,
  answer: PreparedAnswer,
  text: string,
  status?: SavedStatus,
): Promise<void> =>
  deps.outbox.write(answer.messageId, { kind: 'history', exchange: exchangeOf(deps, answer, text, status) })

/** Saves a finished answer: history, usage and the conversation's context (its quota was reserved ahead). */
export async function recordAnswer(deps: ChatDeps, { answer, text, usage }: FinishedAnswer): Promise<void> {
  const now = deps.clock.now()
  const { userId, conversationId, provider, messageId } = answer
  const model = answer.request.model
  const at = new Date(now).toISOString()
  await Promise.all([
    saveExchange(deps, answer, text),
    deps.outbox.write(`usage:${messageId}`, {
      kind: 'usage',
      record: { messageId, userId, provider: provider.name, model, day: utcDay(now), at, ...usage },
    }),
    deps.stores.sessions.set(
      userId,
      conversationId,
      trimToBudget(
        [...answer.context, answer.prompt, { role: 'assistant', content: text }],
        deps.contextTokens,
      ),
    ),
  ])
}
