import { ErrorCode, type CompletionResponse } from '@kit/protocol'
import { pino } from 'pino'
import { chatConfigSchema } from '../config/chat'
import { answerBlockedBy } from '../moderation/check'
import { createModeration } from '../moderation/from-config'
import { createProviderCatalog, providersFromConfig } from '../providers/catalog'
import { createAnswerLimits } from '../limits/answer-limits'
import { createMemoryLimits } from '../limits/memory'
import { createQuotaGate } from '../quotas/admission'
import { createQuotaDay } from '../quotas/day'
import { createQuotaPolicy } from '../quotas/policy'
import { createDefaultStores } from '../storage/defaults'
import { createMemoryJournal } from '../storage/journal/memory'
import { openSqliteJournal } from '../storage/journal/sqlite'
import { systemClock } from '../storage/types'
import { createTemplates } from '../templates/templates'
import type { ChatDeps } from './deps'
import { ChatError, rethrowProviderFailure } from './errors'
import { createHistoryOutbox } from './outbox'
import { prepareAnswer } from './prepare'
import { recordAnswer, usageOf } from './record'
import { runAnswer } from './run'
import type { ChatService, ChatServiceOptions } from './types'

const never = new AbortController().signal

/** Chat outside HTTP: ask a provider and get the answer as an async iterable of wire events. */
export function createChatService(options: ChatServiceOptions = {}): ChatService {
  const config = chatConfigSchema.parse(options.config ?? {})
  const clock = options.clock ?? systemClock
  const providers = createProviderCatalog(
    options.providers ?? providersFromConfig(config.providers),
    config.defaultProvider,
  )
  const idleMinutes = config.sessions.idleMinutes
  const stores =
    options.stores ??
    createDefaultStores({
      path: config.storage.path,
      clock,
      ...(idleMinutes === undefined ? {} : { idleMs: idleMinutes * 60_000 }),
    })
  const logger = options.logger ?? pino({ level: 'silent' })
  const moderation = createModeration({
    config: config.moderation,
    logger,
    ...(options.moderator ? { moderator: options.moderator } : {}),
  })
  const { history } = config
  const outbox = createHistoryOutbox({
    history: stores.history,
    usage: stores.usage,
    journal: history.journalPath ? openSqliteJournal(history.journalPath) : createMemoryJournal(),
    logger,
    retry: history.retry,
    attemptTimeoutMs: history.attemptTimeoutMs,
  })
  const limits = createAnswerLimits(config.limits, stores.limits ?? createMemoryLimits())
  const quotas = createQuotaGate({
    quotas: stores.quotas,
    quotaOf: createQuotaPolicy(config.quotas),
    day: createQuotaDay(config.quotas.timeZone),
    timeZone: config.quotas.timeZone,
    clock,
    limits,
    anonymousPerIp: config.limits.anonymousPerIp,
  })
  const deps: ChatDeps = {
    providers,
    templates: createTemplates(config.templates),
    moderator: moderation.moderator,
    quotas,
    stores,
    outbox,
    checkpoints: {
      ms: history.checkpointMs,
      chars: history.checkpointChars,
      heartbeatMs: Math.floor(history.interruptedAfterMs / 3),
    },
    clock,
    contextTokens: config.sessions.contextTokens,
    continueLatest: config.sessions.continueLatest,
    logger,
  }
  const prepare: ChatService['prepare'] = (input) => prepareAnswer(deps, input)
  const run: ChatService['run'] = (answer, signal = never) => runAnswer(deps, answer, signal)

  return {
    config,
    clock,
    providers,
    templates: deps.templates,
    stores,
    outbox,
    limits,
    admit: quotas.admit,
    quota: quotas.status,
    grantBonus: ({ userId, model, amount }) => stores.quotas.grantBonus({ userId, model }, amount),
    prepare,
    run,
    async *ask(input, { signal } = {}) {
      let answer
      try {
        answer = await prepare(input)
      } catch (err) {
        if (!(err instanceof ChatError)) throw err
        yield { event: 'error', data: err.toEventData() }
        return
      }
      yield* run(answer, signal)
    },
    async complete(input, { signal = never } = {}): Promise<CompletionResponse> {
      const answer = await prepare(input)
      const completion = await answer.provider
        .complete(answer.request, signal)
        .catch(async (err: unknown) => {
          // The user saw nothing: the quota comes back unless they gave up on the answer themselves.
          await answer.admission.settle(!signal.aborted)
          rethrowProviderFailure(err)
        })
        .finally(() => answer.admission.settle(false))
      for (const choice of completion.choices) {
        const blocked = await answerBlockedBy(deps.moderator, choice.content).catch(rethrowProviderFailure)
        if (blocked === undefined) continue
        deps.logger.warn({ reason: blocked }, 'an answer failed moderation')
        throw new ChatError(ErrorCode.ContentBlocked, 'the answer contained a blocked word')
      }
      const texts = completion.choices.map((choice) => choice.content)
      const usage = usageOf(answer, texts, completion.usage)
      await recordAnswer(deps, { answer, text: texts[0] ?? '', usage })
      return {
        conversationId: answer.conversationId,
        messageId: answer.messageId,
        provider: answer.provider.name,
        model: answer.request.model,
        choices: completion.choices.map(({ index, content, finishReason }) => ({
          index,
          content,
          finishReason,
        })),
        usage,
      }
    },
    reloadModeration: () => moderation.reload(),
    async close() {
      moderation.close()
      await providers.close()
      await outbox.close()
      if (!options.stores) await stores.close()
    },
  }
}
