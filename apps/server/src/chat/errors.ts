import { ErrorCode, type ErrorData } from '@kit/protocol'
import { KitError } from '../errors'
import { ProviderError } from '../providers/errors'

/** A request the chat refuses before asking any provider. */
export class ChatError extends KitError {
  toEventData(): ErrorData {
    return {
      code: this.code,
      message: this.message,
      retriable: this.details.retryAfterSeconds !== undefined,
      ...this.details,
    }
  }
}

/** A provider's failure told to the client, for the answers that are not streamed. */
export function providerFailure(error: ProviderError): KitError {
  const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : error.retryAfterMs / 1000
  return new KitError(error.code, error.message, { cause: error, retryAfterSeconds })
}

/** For `.catch`: a provider's failure goes on as the client's error, anything else as it is. */
export function rethrowProviderFailure(err: unknown): never {
  throw err instanceof ProviderError ? providerFailure(err) : err
}

/** A provider's failure (a remote moderator's) before any answer: its status, its own event. */
export class ProviderRefusalError extends ChatError {
  constructor(override readonly cause: ProviderError) {
    super(cause.code, cause.message)
  }

  override toEventData(): ErrorData {
    return this.cause.toEventData()
  }
}

/** The `error` event for anything an answer can fail with; unknown failures say nothing of their cause. */
export function errorEventOf(err: unknown): ErrorData {
  if (err instanceof ProviderError || err instanceof ChatError) return err.toEventData()
  return { code: ErrorCode.Internal, message: 'the answer failed on the server', retriable: true }
}

/** The `error` event of an answer whose events the bus would not take: asking again may well work. */
export function undeliveredEventOf(err: unknown): ErrorData {
  const busDown = err instanceof KitError && err.code === ErrorCode.BusUnavailable
  return {
    code: busDown ? ErrorCode.BusUnavailable : ErrorCode.Internal,
    message: 'the answer could not be delivered; ask again',
    retriable: true,
  }
}
