import { ErrorCode, type DoneData, type ErrorData, type Usage } from '@kit/protocol'
import type { GuardResult } from '../moderation/types'
import type { FinishReason } from '../providers/types'
import type { ChatDeps } from './deps'
import { ChatError, errorEventOf } from './errors'
import { startCheckpoints } from './checkpoints'
import { recordAnswer, saveExchange, usageOf } from './record'
import type { ChatStreamEvent, PreparedAnswer } from './types'

/** The answer itself failed moderation: the client drops what it already showed. */
class BlockedAnswerError extends ChatError {
  constructor() {
    super(ErrorCode.ContentBlocked, 'the answer contained a blocked word and was stopped')
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
 * answer is recorded, or `error`. An abort ends with `done` `aborted` and keeps what was sent. The question
 * is saved at once and the answer as it grows; one that ends without `done` (an error, or a consumer that
 * stopped reading, e.g. because its bus failed) is saved as `interrupted`. The answer's slot and quota
 * are settled before its terminal event, so the next request of the user finds them free.
 */
export async function* runAnswer(
  deps: ChatDeps,
  answer: PreparedAnswer,
  signal: AbortSignal,
): AsyncGenerator<ChatStreamEvent> {
  const { streamId, conversationId, messageId } = answer
  const checkpoints = startCheckpoints(deps, answer)
  let recorded = false
  let discarded = false
  let delivered = false
  try {
    yield { event: 'start', data: { streamId, conversationId, messageId } }
    const choices = answer.request.n ?? 1
    const guards = Array.from({ length: choices }, () => deps.moderator.stream())
    const texts = Array.from({ length: choices }, () => '')
    let reason: FinishReason | undefined
    let reported: Usage | undefined

    function* release(choice: number, result: GuardResult | undefined): Generator<ChatStreamEvent> {
      if (!result) return
      if ('blocked' in result) throw new BlockedAnswerError()
      if (result.text === '') return
      texts[choice] += result.text
      if (choice === 0) checkpoints.grow(result.text)
      delivered = true
      yield { event: 'message', data: { delta: result.text, choice } }
    }

    try {
      for await (const chunk of answer.provider.stream(answer.request, signal)) {
        if (chunk.type === 'usage') reported = chunk.usage
        else if (chunk.type === 'delta')
          yield* release(chunk.choice, await guards[chunk.choice]?.push(chunk.text))
        else if (chunk.type === 'finish') {
          if (chunk.choice === 0) reason = chunk.reason
          yield* release(chunk.choice, await guards[chunk.choice]?.flush())
        }
      }
      // Text held back at an abort never reached the client, so it is not kept either.
      if (!signal.aborted)
        for (const [choice, guard] of guards.entries()) yield* release(choice, await guard.flush())
    } catch (err) {
      if (!signal.aborted || err instanceof BlockedAnswerError) {
        discarded = err instanceof BlockedAnswerError
        const data = errorEventOf(err)
        if (data.code === ErrorCode.Internal) deps.logger.error({ err, streamId }, 'the answer failed')
        else deps.logger.warn({ streamId, error: data }, 'the answer ended with an error')
        await answer.admission.settle(refunds(err, delivered))
        yield { event: 'error', data }
        return
      }
    }
    const usage = usageOf(answer, texts, reported)
    checkpoints.stop()
    recorded = true
    try {
      await recordAnswer(deps, { answer, text: texts[0] ?? '', usage })
    } catch (err) {
      deps.logger.error({ err, streamId, conversationId }, 'the answer could not be recorded')
    }
    await answer.admission.settle(false)
    yield { event: 'done', data: { reason: doneReason(signal.aborted, reason), usage } }
  } finally {
    checkpoints.stop()
    // Only when the consumer gave up on the answer before its end: keep the quota, free the slot.
    await answer.admission.settle(false)
    // A blocked answer keeps nothing of what it said, as the client drops it too.
    if (!recorded) {
      await saveExchange(deps, answer, discarded ? '' : checkpoints.text, 'interrupted').catch(
        (err: unknown) => deps.logger.error({ err, streamId }, 'could not journal the interrupted answer'),
      )
    }
  }
}
