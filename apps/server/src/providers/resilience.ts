import { withInactivityTimeout } from './inactivity'
import { first, single } from './iterables'
import { retryingStream, type RetryPolicy } from './retry'

/** How one provider instance survives a flaky network: timeout, then bounded retries. */
export interface Resilience {
  readonly provider: string
  readonly timeoutMs: number
  readonly retry: RetryPolicy
}

export function resilienceOf(config: {
  name: string
  timeoutMs: number
  retries: number
  backoff: { initialMs: number; maxMs: number }
}): Resilience {
  return {
    provider: config.name,
    timeoutMs: config.timeoutMs,
    retry: { retries: config.retries, initialMs: config.backoff.initialMs, maxMs: config.backoff.maxMs },
  }
}

/** Each attempt gets its own signal, aborted by the caller's signal or by its inactivity timeout. */
export function resilientStream<T>(
  settings: Resilience,
  signal: AbortSignal,
  open: (attempt: number, signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<T> {
  return retryingStream(
    (attempt) =>
      withInactivityTimeout(settings.provider, settings.timeoutMs, signal, (inner) => open(attempt, inner)),
    settings.retry,
    signal,
  )
}

/** The same for one request and one answer: the timeout bounds the whole call. */
export function resilientCall<T>(
  settings: Resilience,
  signal: AbortSignal,
  run: (attempt: number, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return first(resilientStream(settings, signal, (attempt, inner) => single(() => run(attempt, inner))))
}
