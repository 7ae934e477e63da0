/**
 * The kit's one vocabulary for retrying: the same shape, back-off formula and `Retry-After` reading in the
 * browser client, the publisher and the server's providers. Plain functions with no dependencies, so the
 * client can inline them.
 */

/**
 * How a delay is drawn below the exponential ceiling. `full`: anywhere in [0, ceiling], so clients dropped
 * together come back apart. `equal`: in [ceiling/2, ceiling], so the wait never collapses to zero. `none`:
 * the ceiling itself.
 */
export type Jitter = 'full' | 'equal' | 'none'

export interface RetryPolicy {
  /** Attempts after the first one (retries); 0 never retries. */
  readonly attempts: number
  /** Ceiling of the first retry's delay; multiplied by `factor` per retry. */
  readonly baseMs: number
  /** Cap of one delay, a server's `Retry-After` included. */
  readonly maxMs: number
  /** Growth of the ceiling per retry (default 2). */
  readonly factor?: number
  readonly jitter?: Jitter
}

/**
 * The delay before retry number `retry` (0 for the first retry): ceiling = min(maxMs, baseMs · factor^retry),
 * drawn under it by the policy's jitter (default `full`).
 */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const { jitter } = policy
  const ceiling = Math.min(policy.maxMs, policy.baseMs * (policy.factor ?? 2) ** retry)
  return jitter == 'none' ? ceiling : ceiling * (jitter == 'equal' ? 0.5 + random() / 2 : random())
}

/**
 * The wait before a retry when the other side may have asked for one: at least its `Retry-After`, never more
 * than `maxMs`.
 */
export function retryWaitMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs?: number,
  random?: () => number,
): number {
  const delay = backoffMs(policy, retry, random)
  return retryAfterMs === undefined ? delay : Math.min(policy.maxMs, Math.max(delay, retryAfterMs))
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, counted from `now`). Undefined when absent or unreadable; a date in
 * the past is 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim() ?? ''
  // Every HTTP-date form starts with a day name; anything else (`1.5`, `soon`) is not one.
  const at = /^\d+$/.test(text) ? now + +text * 1000 : /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN
  return at >= 0 ? Math.max(0, at - now) : undefined
}
