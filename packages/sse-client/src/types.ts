// Public types of @kit/sse-client. Other packages (@kit/vue-chat) code against these names: keep them stable.
import type { StreamError } from './stream-error'

/** One dispatched event, as the WHATWG "dispatch the event" step produces it. */
export interface ServerSentEvent {
  /** The event type; `message` when the stream gave none. */
  event: string
  /** The data lines joined with LF. */
  data: string
  /** The last event ID at dispatch time (persists across events, like `MessageEvent.lastEventId`). */
  id?: string
}

export interface ParserOptions {
  onEvent: (event: ServerSentEvent) => void
  /** A valid `retry:` field (ASCII digits only), in milliseconds. */
  onRetry?: (ms: number) => void
  /** A comment line without its `:` and one following space (e.g. `ping` for `: ping`). */
  onComment?: (text: string) => void
  /** The last event ID changed at a dispatch point; also fires for an `id:` block without data. */
  onId?: (id: string) => void
  /** The pending event grew past `maxEventBytes` (kind `parse`); the parser then ignores input until `reset()`. */
  onError?: (error: StreamError) => void
  /** Bound on the pending line plus data buffer, in UTF-16 code units (= bytes for ASCII). Default 8 MiB. */
  maxEventBytes?: number
}

export interface EventStreamParser {
  feed(chunk: string | Uint8Array): void
  /** Starts a new stream (a reconnection): drops partial input and the pending event, keeps the last event ID. */
  reset(): void
}

/**
 * `connecting`: first request in flight. `open`: reading a 2xx event stream. `reconnecting`: waiting out the
 * back-off or the next request in flight. `paused`: closed while the page is hidden (`pauseWhenHidden`).
 * `closed`: ended for good; see `finished`.
 */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'paused' | 'closed'

/**
 * Why a stream ended. `done` / `error`: a terminal event arrived (`error` when the event is named `error`,
 * `done` for any other terminal event). `closed`: `close()` was called. `aborted`: `options.signal` aborted.
 * `fatal`: a failure that must not be retried. `retries-exhausted`: the failure after `retry.attempts` reconnections in a row.
 */
export type FinishReason = 'done' | 'error' | 'closed' | 'aborted' | 'fatal' | 'retries-exhausted'

export interface Finish {
  reason: FinishReason
  /** The terminal event, for `done` and `error`. */
  event?: ServerSentEvent
  /** The failure, for `fatal` and `retries-exhausted`. */
  error?: StreamError
}

/**
 * `network`: fetch rejected or the body broke. `http`: a non-2xx status. `content-type`: not text/event-stream.
 * `no-content`: 204, the server says the stream is gone. `idle`: no bytes for `idleTimeoutMs`. `parse`: an
 * event exceeded `maxEventBytes`. `decode`: the data decoder threw (the listener was not called).
 */
export type StreamErrorKind = 'network' | 'http' | 'content-type' | 'no-content' | 'idle' | 'parse' | 'decode'

/**
 * The kit's retry shape (`RetryPolicy` of @kit/protocol): the delay before reconnection k (0 first) is drawn
 * under min(maxMs, baseMs · factor^k) by `jitter`; a server's `Retry-After` replaces it.
 */
export interface RetryOptions {
  /**
   * Reconnections after failures in a row before giving up (`retries-exhausted`): `attempts: 2` makes at most
   * 3 requests, the first and 2 reconnections. Default Infinity.
   */
  attempts?: number
  /** Ceiling of the first delay, until the server's `retry:` field replaces it. Default 1000 ms. */
  baseMs?: number
  /** Cap of one delay. Default 30 000 ms. */
  maxMs?: number
  /** Growth per failed attempt. Default 2. */
  factor?: number
  /** `full` (default): anywhere under the ceiling, so clients dropped together come back apart. */
  jitter?: 'full' | 'equal' | 'none'
  /** @deprecated Use `baseMs`. */
  initialMs?: number
  /** @deprecated Use `attempts`. */
  maxAttempts?: number
}

/** The request of one attempt; `reconnect` may change any part of it, and the change sticks. */
export interface RequestSpec extends Omit<RequestInit, 'headers' | 'signal'> {
  url: string | URL
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>)
}

export interface ReconnectContext {
  /** 1 for the first reconnection after a healthy connection, then 2, 3, ... */
  attempt: number
  /** Sent as `Last-Event-ID` unless empty. */
  lastEventId: string
  /** The last event dispatched on this stream, of any name. */
  lastEvent?: ServerSentEvent
  /**
   * Why the previous connection ended: a `network` error ("no terminal event") when the body ended without a
   * terminal event; undefined only when it was closed for a pause.
   */
  error?: StreamError
  /** The request about to be sent. */
  request: RequestSpec
}

/** Decodes event data; the default is `JSON.parse`. */
export type DataDecoder = (text: string, event: ServerSentEvent) => unknown

export interface EventStreamOptions extends Omit<RequestInit, 'headers' | 'signal'> {
  /** Object, `Headers`, or a (possibly async) function called at every attempt, so a refreshed token is used. */
  headers?: RequestSpec['headers']
  /** Aborting it closes the stream with reason `aborted`; an already-aborted signal closes at once. */
  signal?: AbortSignal
  fetch?: typeof fetch
  /** Turns the data text into what listeners get (default `JSON.parse`); `false` passes the raw text. */
  decode?: DataDecoder | false
  /** Events that end the stream without reconnecting. Default `['done', 'error']` (TERMINAL_EVENTS). */
  terminalEvents?: readonly string[]
  /** `false` disables reconnection. */
  retry?: RetryOptions | false
  /** No bytes (heartbeat comments count) for this long means the connection dropped. Default 45 000; 0 = off. */
  idleTimeoutMs?: number
  /** Close while `document.hidden` and resume when visible. Only GET requests pause: a POST is never re-sent. */
  pauseWhenHidden?: boolean
  /** Resume point for the first request. */
  lastEventId?: string
  maxEventBytes?: number
  /** Called before every reconnection; return changes to the request (they stick), e.g. POST → GET resume URL. */
  reconnect?: (ctx: ReconnectContext) => Partial<RequestSpec> | void | Promise<Partial<RequestSpec> | void>
}

/** What the async iterator yields: the decoded data with its raw event, narrowed by name. */
export type TypedEvent<E extends object> = {
  [K in keyof E & string]: { event: K; data: E[K]; raw: ServerSentEvent }
}[keyof E & string]

/** `E` maps event names to their decoded data types, e.g. `{ message: { delta: string }; done: DoneData }`. */
export interface EventStream<E extends object = Record<string, unknown>> {
  readonly state: StreamState
  /** The last event ID (set at dispatch only); empty before any. */
  readonly lastEventId: string
  /** Resolves once, when the stream reaches `closed`. Never rejects. */
  readonly finished: Promise<Finish>
  /** Listens to a server-sent event by name (`error` is the server's event, not a transport failure). */
  on<K extends keyof E & string>(name: K, listener: (data: E[K], event: ServerSentEvent) => void): () => void
  onStateChange(listener: (state: StreamState) => void): () => void
  /** Transport, HTTP, idle, parse and decode failures, retried or fatal (`error.fatal`). */
  onTransportError(listener: (error: StreamError) => void): () => void
  /** Idempotent; the first call ends the stream with reason `closed`. */
  close(): void
  /** Yields events from the moment iteration starts; ends when the stream closes, throws on `fatal`/`retries-exhausted`. */
  [Symbol.asyncIterator](): AsyncIterator<TypedEvent<E>>
}
