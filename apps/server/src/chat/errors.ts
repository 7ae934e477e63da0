import { ErrorCode, type ErrorData } from '@kit/protocol'
import { HttpError } from '../http/errors'
import { ProviderError } from '../providers/errors'

/** A request the chat refuses before asking any provider; `status` is its HTTP answer. */
export class ChatError extends HttpError {
  override readonly name = 'ChatError'

  toEventData(): ErrorData {
    return { code: this.code, message: this.message, retriable: this.code === ErrorCode.QuotaExceeded }
  }
}

const PROVIDER_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ContentBlocked]: 400,
  [ErrorCode.ProviderUnavailable]: 503,
}

/** A provider's failure (a remote moderator's) before any answer: its HTTP status, its own event. */
export class ProviderRefusalError extends ChatError {
  constructor(override readonly cause: ProviderError) {
    super(PROVIDER_STATUS[cause.code] ?? 502, cause.code, cause.message)
  }

  override toEventData(): ErrorData {
    return this.cause.toEventData()
  }
}

/** A provider's failure as an HTTP error, for the answers that are not streamed. */
export function providerHttpError(error: ProviderError): HttpError {
  return new HttpError(PROVIDER_STATUS[error.code] ?? 502, error.code, error.message)
}

/** For `.catch`: a provider's failure goes on as its HTTP error, anything else as it is. */
export function rethrowAsHttpError(err: unknown): never {
  throw err instanceof ProviderError ? providerHttpError(err) : err
}

/** The `error` event for anything an answer can fail with; unknown failures say nothing of their cause. */
export function errorEventOf(err: unknown): ErrorData {
  if (err instanceof ProviderError || err instanceof ChatError) return err.toEventData()
  return { code: ErrorCode.Internal, message: 'the answer failed on the server', retriable: true }
}

/** The `error` event of an answer whose events the bus would not take: asking again may well work. */
export function undeliveredEventOf(err: unknown): ErrorData {
  const busDown = err instanceof HttpError && err.code === ErrorCode.BusUnavailable
  return {
    code: busDown ? ErrorCode.BusUnavailable : ErrorCode.Internal,
    message: 'the answer could not be delivered; ask again',
    retriable: true,
  }
}
