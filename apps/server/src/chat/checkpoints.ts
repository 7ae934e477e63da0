import type { ChatDeps } from './deps'
import { saveExchange } from './record'
import type { PreparedAnswer } from './types'

/** Saves of an answer while it grows, so that a crash leaves the question and most of the answer in history. */
export interface Checkpoints {
  /** Text of choice 0 that reached the client. */
  grow(text: string): void
  /** The text grown so far. */
  readonly text: string
  /** No more checkpoints: the answer ended (its last save is the caller's). */
  stop(): void
}

/**
 * Saves the question with an empty `streaming` answer now, then the answer every `checkpoints.ms` while
 * it grows or at once past `checkpoints.chars` new characters, and every `heartbeatMs` even when nothing
 * arrives, which tells readers that its server is still at it.
 */
export function startCheckpoints(deps: ChatDeps, answer: PreparedAnswer): Checkpoints {
  const { ms, chars, heartbeatMs } = deps.checkpoints
  let text = ''
  let savedLength = 0
  let savedAt = 0

  function save(): void {
    savedLength = text.length
    savedAt = deps.clock.now()
    saveExchange(deps, answer, text, 'streaming').catch((err: unknown) =>
      deps.logger.error({ err, streamId: answer.streamId }, 'could not journal a checkpoint of the answer'),
    )
  }

  save()
  const timer = setInterval(() => {
    if (text.length > savedLength || deps.clock.now() - savedAt >= heartbeatMs) save()
  }, ms)
  timer.unref()
  return {
    grow(delta) {
      text += delta
      if (text.length - savedLength >= chars) save()
    },
    get text() {
      return text
    },
    stop: () => clearInterval(timer),
  }
}
