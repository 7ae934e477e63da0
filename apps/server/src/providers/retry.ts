import { retryWaitMs, type RetryPolicy } from '@kit/protocol'
import { ProviderError } from './errors'

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

/** The instance's retry policy, and the policy of errors that have their own (Spark's 11202). */
export interface RetryRules {
  readonly policy: RetryPolicy
  readonly policyFor?: (error: ProviderError) => RetryPolicy | undefined
}

/**
 * Streams from `open(attempt)`, opening again after a back-off when it fails with a `ProviderError` whose
 * `retry` is set, but only while nothing has been yielded: once a delta reached the client, repeating the
 * request would duplicate text, so the error goes to the caller. Each policy counts its own retries.
 */
export async function* retryingStream<T>(
  open: (attempt: number) => AsyncIterable<T>,
  rules: RetryRules,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const used = new Map<RetryPolicy, number>()
  for (let attempt = 0; ; attempt++) {
    let yielded = false
    try {
      for await (const item of open(attempt)) {
        yielded = true
        yield item
      }
      return
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.retry || yielded || signal.aborted) throw err
      const policy = rules.policyFor?.(err) ?? rules.policy
      const retries = used.get(policy) ?? 0
      if (retries >= policy.attempts) throw err
      used.set(policy, retries + 1)
      await sleep(retryWaitMs(policy, retries, err.retryAfterMs), signal)
    }
  }
}
