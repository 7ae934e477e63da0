import { ErrorCode, type ErrorData } from '@kit/protocol'
import { HttpError } from '../http/errors'
import { ProviderError } from '../providers/errors'

/** A request the chat refuses before asking any provider; `status` is its HTTP answer. */
export class ChatError extends HttpError {
  override readonly name = 'ChatError'

  toEventData(): ErrorData {
    return {
      code: this.code,
      message: this.message,
      retriable: this.details.retryAfterSeconds !== undefined,
      ...this.details,
    }
  }
}

const PROVIDER_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ContentBlocked]: 400,
  [ErrorCode.ProviderUnavailable]: 503,
}

/** A provider's failure as an HTTP error, for the answers that are not streamed. */
export function providerHttpError(error: ProviderError): HttpError {
  return new HttpError(PROVIDER_STATUS[error.code] ?? 502, error.code, error.message)
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
