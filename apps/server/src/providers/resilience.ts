import type { RetryPolicy } from '@kit/protocol'
import type { ProviderInstanceConfig } from '../config/chat'
import { withInactivityTimeout } from './inactivity'
import { first, single } from './iterables'
import { retryingStream, type RetryRules } from './retry'

/** How one provider instance survives a flaky network: timeout, then bounded retries. */
export interface Resilience extends RetryRules {
  readonly provider: string
  readonly timeoutMs: number
}

/** Defaults of `retry`; an equal jitter so that a retry never comes at once after a failure. */
export const PROVIDER_RETRY: Required<RetryPolicy> = {
  attempts: 5,
  baseMs: 500,
  maxMs: 8_000,
  factor: 2,
  jitter: 'equal',
}

/** `retry`, over the deprecated `retries` and `backoff`, over the defaults. */
export function retryPolicyOf(
  config: Pick<ProviderInstanceConfig, 'retry' | 'retries' | 'backoff'>,
): Required<RetryPolicy> {
  const { retry = {}, retries, backoff = {} } = config
  return {
    attempts: retry.attempts ?? retries ?? PROVIDER_RETRY.attempts,
    baseMs: retry.baseMs ?? backoff.initialMs ?? PROVIDER_RETRY.baseMs,
    maxMs: retry.maxMs ?? backoff.maxMs ?? PROVIDER_RETRY.maxMs,
    factor: retry.factor ?? PROVIDER_RETRY.factor,
    jitter: retry.jitter ?? PROVIDER_RETRY.jitter,
  }
}

export function resilienceOf(
  config: ProviderInstanceConfig,
  policyFor?: RetryRules['policyFor'],
): Resilience {
  return {
    provider: config.name,
    timeoutMs: config.timeoutMs,
    policy: retryPolicyOf(config),
    ...(policyFor ? { policyFor } : {}),
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
    settings,
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
