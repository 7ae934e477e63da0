import { randomUUID } from 'node:crypto'
import { ErrorCode } from '@kit/protocol'
import { pseudonymOf } from '../auth/users'
import { buildMessages } from '../conversations/context'
import { ProviderError } from '../providers/errors'
import type { ChatDeps } from './deps'
import { ChatError, ProviderRefusalError } from './errors'
import type { AskInput, PreparedAnswer } from './types'

const TITLE_LENGTH = 255

/** By code point, so a title never ends in half an emoji. */
const firstChars = (text: string, count: number) => Array.from(text).slice(0, count).join('')

export async function prepareAnswer(deps: ChatDeps, input: AskInput): Promise<PreparedAnswer> {
  const provider = deps.providers.find(input.provider)
  if (!provider) {
    throw new ChatError(ErrorCode.UnknownProvider, `no provider instance is named ${input.provider}`)
  }
  const model = input.model ?? provider.defaultModel
  if (!provider.models.includes(model)) {
    throw new ChatError(
      ErrorCode.UnknownModel,
      `${provider.name} has no model ${model}; it offers ${provider.models.join(', ')}`,
    )
  }
  const n = input.options?.n ?? 1
  if (n > provider.maxChoices) {
    throw new ChatError(
      ErrorCode.ValidationFailed,
      `${provider.name} answers at most ${provider.maxChoices} choice(s)`,
    )
  }
  const rendered = input.template
    ? deps.templates.render(input.template, input.prompt, input.templateArgs)
    : { prompt: input.prompt }
  const blocked = await deps.moderator.checkPrompt(rendered.prompt).catch((err: unknown) => {
    throw err instanceof ProviderError ? new ProviderRefusalError(err) : err
  })
  if (blocked !== undefined) {
    deps.logger.warn({ reason: blocked }, 'a prompt failed moderation')
    throw new ChatError(ErrorCode.ContentBlocked, 'the prompt contains a blocked word')
  }
  const askedAt = deps.clock.now()
  const streamId = randomUUID()
  const { userId, anonymousIp } = input
  const admission = await deps.quotas.admit({ userId, model, anonymousIp, slot: streamId })
  const session = async () => {
    const conversationId =
      input.conversationId ??
      (deps.continueLatest ? await deps.stores.sessions.latest(userId) : undefined) ??
      randomUUID()
    return { conversationId, context: (await deps.stores.sessions.get(userId, conversationId)) ?? [] }
  }
  const { conversationId, context } = await session().catch(async (err: unknown) => {
    await admission.settle(true)
    throw err
  })
  const prompt = { role: 'user' as const, content: rendered.prompt }
  const { temperature, maxTokens } = input.options ?? {}
  return {
    streamId,
    conversationId,
    messageId: randomUUID(),
    promptId: randomUUID(),
    askedAt,
    userId,
    provider,
    request: {
      model,
      messages: buildMessages(context, prompt, deps.contextTokens, rendered.system),
      n,
      user: pseudonymOf(userId),
      ...(temperature === undefined ? {} : { temperature }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
    },
    prompt,
    context,
    title: firstChars(input.prompt, TITLE_LENGTH),
    admission,
  }
}
