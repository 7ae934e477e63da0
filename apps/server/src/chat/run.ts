import { ErrorCode, type DoneData, type ErrorData, type Usage } from '@kit/protocol'
import type { GuardResult } from '../moderation/moderator'
import type { FinishReason } from '../providers/types'
import type { ChatDeps } from './deps'
import { ChatError, errorEventOf } from './errors'
import { recordAnswer, usageOf } from './record'
import type { ChatStreamEvent, PreparedAnswer } from './types'

/** The answer itself failed moderation: the client drops what it already showed. */
class BlockedAnswerError extends ChatError {
  constructor() {
    super(422, ErrorCode.ContentBlocked, 'the answer contained a blocked word and was stopped')
  }

  override toEventData(): ErrorData {
    return { ...super.toEventData(), discardPartial: true }
  }
}

const doneReason = (aborted: boolean, reason: FinishReason | undefined): DoneData['reason'] =>
  aborted ? 'aborted' : reason === 'length' ? 'length' : 'stop'

/**
 * The refund policy: an answer that failed before the user saw any of it gives its quota back; one that
 * delivered text, was stopped by the user or was blocked by moderation (the provider did answer) keeps it.
 */
const refunds = (err: unknown, delivered: boolean): boolean =>
  !delivered && !(err instanceof BlockedAnswerError)

/**
 * Streams one answer: `start`, the deltas of every choice as moderation releases them, then `done` once the
 * answer is recorded, or `error`. An abort ends with `done` `aborted` and keeps what was sent. The answer's
 * slot and quota are settled before its terminal event, so the next request of the user finds them free.
 */
export async function* runAnswer(
  deps: ChatDeps,
  answer: PreparedAnswer,
  signal: AbortSignal,
): AsyncGenerator<ChatStreamEvent> {
  const { streamId, conversationId, messageId } = answer
  const choices = answer.request.n ?? 1
  const guards = Array.from({ length: choices }, () => deps.moderator.stream())
  const texts = Array.from({ length: choices }, () => '')
  let reason: FinishReason | undefined
  let reported: Usage | undefined
  let delivered = false

  function* release(choice: number, result: GuardResult | undefined): Generator<ChatStreamEvent> {
    if (!result) return
    if ('blocked' in result) throw new BlockedAnswerError()
    if (result.text === '') return
    texts[choice] += result.text
    delivered = true
    yield { event: 'message', data: { delta: result.text, choice } }
  }

  try {
    yield { event: 'start', data: { streamId, conversationId, messageId } }
    yield* generate()
  } finally {
    // Only when the consumer gave up on the answer before its end: keep the quota, free the slot.
    await answer.admission.settle(false)
  }

  async function* generate(): AsyncGenerator<ChatStreamEvent> {
    try {
      for await (const chunk of answer.provider.stream(answer.request, signal)) {
        if (chunk.type === 'usage') reported = chunk.usage
        else if (chunk.type === 'delta') yield* release(chunk.choice, guards[chunk.choice]?.push(chunk.text))
        else {
          if (chunk.choice === 0) reason = chunk.reason
          yield* release(chunk.choice, guards[chunk.choice]?.flush())
        }
      }
      // Text held back at an abort never reached the client, so it is not kept either.
      if (!signal.aborted)
        for (const [choice, guard] of guards.entries()) yield* release(choice, guard.flush())
    } catch (err) {
      if (!signal.aborted || err instanceof BlockedAnswerError) {
        const data = errorEventOf(err)
        if (data.code === ErrorCode.Internal) deps.logger.error({ err, streamId }, 'the answer failed')
        else deps.logger.warn({ streamId, error: data }, 'the answer ended with an error')
        await answer.admission.settle(refunds(err, delivered))
        yield { event: 'error', data }
        return
      }
    }
    const usage = usageOf(answer, texts, reported)
    try {
      await recordAnswer(deps, { answer, text: texts[0] ?? '', usage })
    } catch (err) {
      deps.logger.error({ err, streamId, conversationId }, 'the answer could not be recorded')
    }
    await answer.admission.settle(false)
    yield { event: 'done', data: { reason: doneReason(signal.aborted, reason), usage } }
  }
}
