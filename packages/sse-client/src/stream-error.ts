import type { StreamErrorKind } from './types'

/** Every problem that is not a server-sent event: reported by `onTransportError`, never by `on('error')`. */
export class StreamError extends Error {
  override name = 'StreamError'
  /** True when the stream closes because of this error (it is not retried). */
  fatal = false

  constructor(
    readonly kind: StreamErrorKind,
    message: string,
    /** HTTP status, when a response arrived. */
    readonly status?: number,
    /** Response body text of a rejected response (`http`, `content-type`), at most 4 KiB. */
    readonly body?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}
