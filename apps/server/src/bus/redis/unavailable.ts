import { ErrorCode } from '@kit/protocol'
import { KitError } from '../../errors'

/** How long a client waits before it asks again while Redis is away. */
const RETRY_AFTER_SECONDS = 1

/**
 * Redis did not answer a bus command. Its code `bus_unavailable` is one publishers retry (a plain failure
 * would be `internal`, which they do not), so a publish during an outage is never lost quietly.
 */
export class BusUnavailableError extends KitError {
  constructor(cause: unknown) {
    super(ErrorCode.BusUnavailable, 'the event bus (Redis) is unavailable; retry shortly', {
      cause,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    })
  }
}

export const orUnavailable = <T>(work: Promise<T>): Promise<T> =>
  work.catch((err: unknown) => {
    throw new BusUnavailableError(err)
  })

/**
 * A store kept in Redis whose failures answer like the bus's: a new chat, a resume or a stop while Redis is
 * down gets the retriable 503 `bus_unavailable` rather than a 500.
 */
export function unavailableWhenDown<T extends object>(store: T): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(store)) {
    wrapped[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => {
            const result: unknown = member.apply(store, args)
            return result instanceof Promise ? orUnavailable(result) : result
          }
        : member
  }
  return wrapped as T
}
