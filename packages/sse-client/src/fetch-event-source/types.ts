// The types of @microsoft/fetch-event-source 2.0.1, widened where the original was narrower than it needed
// to be (headers as any HeadersInit, a synchronous onopen), so code written against it still compiles.

export interface EventSourceMessage {
  /** The last event ID (it persists across events, like `MessageEvent.lastEventId`); empty before any. */
  id: string
  /** The event type; empty for the default `message` type, as in the original. */
  event: string
  data: string
  /** A `retry:` field read since the previous message. */
  retry?: number
}

export interface FetchEventSourceInit extends RequestInit {
  headers?: HeadersInit
  /** Checks the response before it is read; throw to reject it. The default also rejects non-2xx and 204. */
  onopen?: (response: Response) => Promise<void> | void
  onmessage?: (ev: EventSourceMessage) => void
  /** The stream ended without an error; throw to have `onerror` decide on a retry. */
  onclose?: () => void
  /**
   * Returns the delay before the next attempt, or nothing for the default; throws to stop (the promise rejects).
   * `any`, as in the original, so handlers that read `err.message` unchecked still compile.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onerror?: (err: any) => number | null | undefined | void
  /** Keep the connection while the page is hidden. Default false: a GET closes while hidden. */
  openWhenHidden?: boolean
  fetch?: typeof fetch
}
