import { ProviderError } from './errors'

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number
  readonly initialMs: number
  readonly maxMs: number
}

/**
 * Exponential back-off with jitter on the upper half: attempt k waits between c/2 and c, where
 * c = min(maxMs, initialMs * 2^k), so the total wait is bounded and never collapses to zero.
 * A provider's Retry-After raises the wait, still capped at maxMs.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt)
  const delay = ceiling / 2 + (random() * ceiling) / 2
  return retryAfterMs === undefined ? delay : Math.min(policy.maxMs, Math.max(delay, retryAfterMs))
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first; leaves no timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Streams from `open(attempt)`, opening again after a back-off when it fails with a `ProviderError` whose
 * `retry` is set, but only while nothing has been yielded: once a delta reached the client, repeating the
 * request would duplicate text, so the error goes to the caller.
 */
export async function* retryingStream<T>(
  open: (attempt: number) => AsyncIterable<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
): AsyncGenerator<T> {
  for (let attempt = 0; ; attempt++) {
    let yielded = false
    try {
      for await (const item of open(attempt)) {
        yielded = true
        yield item
      }
      return
    } catch (err) {
      const retry = err instanceof ProviderError && err.retry
      if (!retry || yielded || signal.aborted || attempt >= policy.retries) throw err
      await sleep(backoffDelay(policy, attempt, err.retryAfterMs), signal)
    }
  }
}
