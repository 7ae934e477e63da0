import type { ErrorCode } from '@kit/protocol'

/** Machine-readable fields of a refusal, sent beside `code` and `message` (and in `error` events). */
export interface ErrorDetails {
  /** How long the client should wait before asking again (also sent as `Retry-After`). */
  readonly retryAfterSeconds?: number
  /** ISO 8601: when a quota turns over. */
  readonly resetAt?: string
}

export interface KitErrorOptions extends ErrorDetails {
  readonly cause?: unknown
}

/**
 * A failure the client is told about: a protocol code and a message fit to show. Domain code throws these
 * and knows nothing of HTTP; `http/status.ts` alone gives each code its status.
 */
export class KitError extends Error {
  readonly details: ErrorDetails

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: KitErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    const { cause: _, ...details } = options
    this.details = details
  }

  get retryAfterSeconds(): number | undefined {
    return this.details.retryAfterSeconds
  }
}
