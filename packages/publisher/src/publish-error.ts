/**
 * Codes of failures that have no server answer; any other code is the server's own
 * (`unauthorized`, `invalid_key`, `validation_failed`, …) or `http_<status>` when its body had none.
 */
export const PublishFailure = {
  /** No connection could be made, or it broke before an answer came. */
  Network: 'network_error',
  /** No answer within `timeoutMs`. */
  Timeout: 'timeout',
  /** A 2xx whose body is not the kit's JSON: `baseUrl` probably points at another app. */
  InvalidResponse: 'invalid_response',
} as const

/** A call the server refused or that could not reach it. `status` is 0 when no answer came. */
export class PublishError extends Error {
  override readonly name = 'PublishError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** True only when the server surely did not act on the request: trying again cannot deliver twice. */
    readonly retriable: boolean,
    /** The server's `Retry-After`, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}
