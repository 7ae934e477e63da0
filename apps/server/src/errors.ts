import type { ErrorCode } from '@kit/protocol'

export interface KitErrorOptions {
  readonly cause?: unknown
  /** How long the client should wait before asking again (sent as `Retry-After`). */
  readonly retryAfterSeconds?: number
}

/**
 * A failure the client is told about: a protocol code and a message fit to show. Domain code throws these
 * and knows nothing of HTTP; `http/status.ts` alone gives each code its status.
 */
export class KitError extends Error {
  readonly retryAfterSeconds: number | undefined

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: KitErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}
