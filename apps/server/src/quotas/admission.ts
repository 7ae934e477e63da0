import { ErrorCode } from '@kit/protocol'
import { ChatError } from '../chat/errors'
import type { AnswerLimits } from '../limits/answer-limits'
import type { Clock, QuotaAsk, QuotaCounter, QuotaSource } from '../storage/types'
import type { QuotaDay } from './day'
import type { QuotaLimit } from './policy'

/** Who an answer is for and which model it uses. */
export interface AdmitInput {
  readonly userId: string
  readonly model: string
  /** Set for anonymous users: their quota and concurrent answers also hold for this client address. */
  readonly anonymousIp?: string | undefined
  /** Names the answer's concurrent slot (its stream id, say). */
  readonly slot: string
}

/** An answer let through: one concurrent slot held and one answer of the quota reserved. */
export interface Admission {
  readonly source: QuotaSource
  /**
   * Ends the answer's hold: frees its slot, and gives its quota back when `refund` (the policy: when the
   * answer failed before the user saw any of it). Only the first call acts.
   */
  settle(refund: boolean): Promise<void>
}

export interface AdmissionDeps {
  readonly quotas: QuotaCounter
  readonly quotaOf: (model: string) => QuotaLimit
  readonly day: QuotaDay
  readonly timeZone: string
  readonly clock: Clock
  readonly limits: AnswerLimits
  /** Share of the quota one anonymous client address gets, as a multiple of one user's. */
  readonly anonymousPerIp: number
}

function quotaExceeded(limit: QuotaLimit, now: number, resetAt: number, timeZone: string): ChatError {
  const reset = new Date(resetAt).toISOString()
  return new ChatError(
    ErrorCode.QuotaExceeded,
    `the daily quota of ${limit.daily} answers for ${limit.group} models is used up; it resets at ${reset} (midnight ${timeZone})`,
    { retryAfterSeconds: Math.ceil((resetAt - now) / 1000), resetAt: reset },
  )
}

/** What a user has left of a model's quota today. */
export interface QuotaStatus {
  readonly model: string
  readonly group: string
  /** Answers a day; null = unlimited. */
  readonly daily: number | null
  readonly used: number
  readonly bonus: number
  /** Answers left today, bonus included; null = unlimited. */
  readonly remaining: number | null
  /** ISO 8601: when the quota day turns over. */
  readonly resetAt: string
}

export interface QuotaGate {
  /** Checks and takes in one atomic step of the quota store, before any provider is asked. */
  admit(input: AdmitInput): Promise<Admission>
  status(input: Omit<AdmitInput, 'slot'>): Promise<QuotaStatus>
}

export function createQuotaGate(deps: AdmissionDeps): QuotaGate {
  const { quotas, day, clock } = deps

  function askOf({ userId, model, anonymousIp }: Omit<AdmitInput, 'slot'>, now: number): QuotaAsk {
    const { group, daily } = deps.quotaOf(model)
    const key = { userId, day: day.dayOf(now), group }
    const sharedLimit = daily === undefined ? 0 : Math.floor(daily * deps.anonymousPerIp)
    const shared =
      anonymousIp !== undefined && daily !== undefined && deps.anonymousPerIp > 0
        ? { key: { ...key, userId: anonymousIp, group: `anonymous-ip:${group}` }, limit: sharedLimit }
        : undefined
    return { key, limit: daily, ...(shared ? { shared } : {}), bonus: { userId, model } }
  }

  async function admit(input: AdmitInput): Promise<Admission> {
    const release = await deps.limits.hold(input.userId, input.anonymousIp, input.slot)
    try {
      const now = clock.now()
      const ask = askOf(input, now)
      const source = await quotas.reserve(ask)
      if (!source) throw quotaExceeded(deps.quotaOf(input.model), now, day.resetAfter(now), deps.timeZone)
      let settled = false
      return {
        source,
        async settle(refund) {
          if (settled) return
          settled = true
          try {
            if (refund) await quotas.refund(ask, source)
          } finally {
            await release()
          }
        },
      }
    } catch (err) {
      await release()
      throw err
    }
  }

  async function status(input: Omit<AdmitInput, 'slot'>): Promise<QuotaStatus> {
    const now = clock.now()
    const ask = askOf(input, now)
    const [used, sharedUsed, bonus] = await Promise.all([
      quotas.get(ask.key),
      ask.shared ? quotas.get(ask.shared.key) : 0,
      quotas.bonus(ask.bonus),
    ])
    const left =
      ask.limit === undefined
        ? null
        : Math.max(0, Math.min(ask.limit - used, ask.shared ? ask.shared.limit - sharedUsed : Infinity))
    return {
      model: input.model,
      group: ask.key.group,
      daily: ask.limit ?? null,
      used,
      bonus,
      remaining: left === null ? null : left + bonus,
      resetAt: new Date(day.resetAfter(now)).toISOString(),
    }
  }

  return { admit, status }
}
