import { ErrorCode } from '@kit/protocol'
import { ChatError } from '../chat/errors'
import type { LimitStore } from '../storage/types'
import type { LimitsConfig } from './config'

/** Rate and concurrency limits of the answering routes, refusing with HTTP 429 and `Retry-After`. */
export interface AnswerLimits {
  /** Counts one answering request of the user and of the client address; throws `too_many_requests`. */
  admit(userId: string, ip: string | undefined): Promise<void>
  /**
   * Holds one of the user's concurrent answers (and of an anonymous user's address) for `slot`; throws
   * `too_many_answers`. Answers the function that frees it.
   */
  hold(userId: string, anonymousIp: string | undefined, slot: string): Promise<() => Promise<void>>
}

/** A slot of an instance that died frees itself after this; an answer's channel lives 10 minutes by default. */
const SLOT_LEASE_MS = 10 * 60_000
/** A slot frees when an answer ends, which cannot be known ahead: a short wait before asking again. */
const SLOT_RETRY_SECONDS = 1

const part = (text: string) => encodeURIComponent(text)

export function createAnswerLimits(config: LimitsConfig, store: LimitStore): AnswerLimits {
  const { rate, concurrentAnswers, anonymousPerIp } = config
  const windowMs = rate.windowSeconds * 1000
  const ipSlots = Math.floor(concurrentAnswers * anonymousPerIp)

  async function count(key: string, limit: number, who: string): Promise<void> {
    if (limit === 0) return
    const leftMs = await store.hit(key, limit, windowMs)
    if (leftMs === undefined) return
    throw new ChatError(
      ErrorCode.TooManyRequests,
      `too many requests from ${who}: at most ${limit} every ${rate.windowSeconds} s`,
      { retryAfterSeconds: Math.ceil(leftMs / 1000) },
    )
  }

  async function take(key: string, slot: string, limit: number, who: string): Promise<() => Promise<void>> {
    if (await store.acquire(key, slot, limit, SLOT_LEASE_MS)) return () => store.release(key, slot)
    throw new ChatError(
      ErrorCode.TooManyAnswers,
      `${who} already has ${limit} answer(s) under way; wait for one to finish`,
      { retryAfterSeconds: SLOT_RETRY_SECONDS },
    )
  }

  return {
    async admit(userId, ip) {
      await count(`user:${part(userId)}`, rate.perUser, 'this user')
      if (ip !== undefined) await count(`ip:${part(ip)}`, rate.perIp, 'this address')
    },
    async hold(userId, anonymousIp, slot) {
      if (concurrentAnswers === 0) return async () => undefined
      const own = await take(`user:${part(userId)}`, slot, concurrentAnswers, 'this user')
      if (anonymousIp === undefined || ipSlots === 0) return own
      try {
        const shared = await take(`ip:${part(anonymousIp)}`, slot, ipSlots, 'this address')
        return async () => {
          await Promise.all([own(), shared()])
        }
      } catch (err) {
        await own()
        throw err
      }
    },
  }
}
