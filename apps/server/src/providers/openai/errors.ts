import { ErrorCode, parseRetryAfter } from '@kit/protocol'
import { APIConnectionError, APIError } from 'openai'
import { networkError, ProviderError } from '../errors'

/** Provider messages can quote part of a key ("Incorrect API key provided: sk-ab***yz"): never pass one on. */
export function scrubSecrets(message: string): string {
  return message.replace(/\b(sk|key)-[A-Za-z0-9*_-]{4,}/g, '$1-***')
}

/** Retry-After of a 429 or 503: OpenAI's `retry-after-ms`, else the standard header. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'))
  return ms > 0 ? ms : parseRetryAfter(headers?.get('retry-after'))
}

/**
 * Classifies an error of the `openai` SDK. 401/403 are fatal; 429 `insufficient_quota` is never retried while
 * other 429s are, after a back-off; 408, 409, 5xx and network failures are retried. An error inside the
 * stream (`data: {"error": …}`) has no status and is classified by its code.
 */
export function mapOpenAIError(provider: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err
  if (err instanceof APIConnectionError) return networkError(provider, err)
  if (!(err instanceof APIError) && !(err instanceof SyntaxError)) return networkError(provider, err)
  if (!(err instanceof APIError)) {
    return new ProviderError({
      code: ErrorCode.ProviderError,
      message: `${provider} sent an answer the kit could not read: ${err instanceof Error ? err.message : String(err)}`,
      retriable: true,
      provider,
    })
  }
  const status = err.status
  const providerCode = typeof err.code === 'string' ? err.code : (err.type ?? undefined)
  const base = { provider, status, ...(providerCode ? { providerCode } : {}) }
  const detail = scrubSecrets(err.message)
  if (status === 401 || status === 403 || providerCode === 'invalid_api_key') {
    return new ProviderError({
      ...base,
      code: ErrorCode.ProviderAuth,
      message: `${provider} refused the credentials or the request (${status ?? providerCode})`,
      retriable: false,
    })
  }
  if (providerCode === 'insufficient_quota') {
    return new ProviderError({
      ...base,
      code: ErrorCode.ProviderQuota,
      message: `${provider}: the account has no quota left`,
      retriable: false,
    })
  }
  if (status === 429 || providerCode === 'rate_limit_exceeded') {
    const after = retryAfterMs(err.headers)
    return new ProviderError({
      ...base,
      code: ErrorCode.RateLimited,
      message: `${provider} is rate limiting: ${detail}`,
      retriable: true,
      retry: true,
      ...(after === undefined ? {} : { retryAfterMs: after }),
    })
  }
  // An error inside the stream has no status: the server failed unless it says the request was wrong.
  const transient =
    status === undefined
      ? err.type !== 'invalid_request_error'
      : status === 408 || status === 409 || status >= 500
  return new ProviderError({
    ...base,
    code: ErrorCode.ProviderError,
    message: `${provider} failed: ${detail}`,
    retriable: transient,
    retry: transient,
  })
}
