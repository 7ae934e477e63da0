import type { StreamErrorKind } from './types'

export interface StreamErrorInit extends ErrorOptions {
  status?: number
  body?: string
  fatal?: boolean
  retryInMs?: number
}

/** Every problem that is not a server-sent event: reported by `onTransportError`, never by `on('error')`. */
export class StreamError extends Error {
  override name = 'StreamError'
  /** True when the stream closes because of this error (it is not retried). */
  fatal = false
  /** HTTP status, when a response arrived. */
  declare readonly status?: number
  /** Response body text of a rejected response (`http`, `content-type`), at most 4 KiB. */
  declare readonly body?: string
  /** For a retried error: the delay before the next attempt (the server's `Retry-After`, else the back-off). */
  declare retryInMs?: number

  constructor(
    readonly kind: StreamErrorKind,
    message: string,
    init?: StreamErrorInit,
  ) {
    super(message, init)
    Object.assign(this, init)
  }
}
