import { ErrorCode, type ErrorData } from '@kit/protocol'

export interface ProviderErrorInit {
  readonly code: ErrorCode
  readonly message: string
  /** The client may try again later (a new request, not a resume). */
  readonly retriable: boolean
  /** The provider itself is asked again, after a back-off, when nothing was streamed yet. */
  readonly retry?: boolean
  /** How long the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number
  /** Drop the partial answer already shown (the output failed moderation). */
  readonly discardPartial?: boolean
  readonly provider: string
  readonly providerCode?: string | number
  readonly sid?: string
  readonly status?: number
}

/** A failure of a provider, already classified; its `toEventData()` is the `error` event sent to clients. */
export class ProviderError extends Error {
  readonly code: ErrorCode
  readonly retriable: boolean
  readonly retry: boolean
  readonly retryAfterMs: number | undefined
  readonly discardPartial: boolean
  readonly provider: string
  readonly providerCode: string | number | undefined
  readonly sid: string | undefined
  readonly status: number | undefined

  constructor(init: ProviderErrorInit) {
    super(init.message)
    this.name = 'ProviderError'
    this.code = init.code
    this.retriable = init.retriable
    this.retry = init.retry ?? false
    this.retryAfterMs = init.retryAfterMs
    this.discardPartial = init.discardPartial ?? false
    this.provider = init.provider
    this.providerCode = init.providerCode
    this.sid = init.sid
    this.status = init.status
  }

  toEventData(): ErrorData {
    return {
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      provider: this.provider,
      ...(this.discardPartial ? { discardPartial: true } : {}),
      ...(this.providerCode === undefined ? {} : { providerCode: this.providerCode }),
      ...(this.sid === undefined ? {} : { sid: this.sid }),
    }
  }
}

/** The provider did not answer within its timeout. */
export function timeoutError(provider: string, timeoutMs: number): ProviderError {
  return new ProviderError({
    code: ErrorCode.ProviderUnavailable,
    message: `${provider} did not answer within ${timeoutMs} ms`,
    retriable: true,
    retry: true,
    provider,
  })
}

/** A network failure before or while talking to the provider. */
export function networkError(provider: string, cause: unknown): ProviderError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new ProviderError({
    code: ErrorCode.ProviderUnavailable,
    message: `${provider} could not be reached: ${detail}`,
    retriable: true,
    retry: true,
    provider,
  })
}
