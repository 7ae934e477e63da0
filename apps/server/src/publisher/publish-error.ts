/** A publish the server refused or that could not reach it. `status` is 0 when no answer came. */
export class PublishError extends Error {
  override readonly name = 'PublishError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    /** The server's `Retry-After`, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}
