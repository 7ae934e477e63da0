import type { ServerResponse } from 'node:http'
import type { DoneData, ErrorData } from '@kit/protocol'
import type { Logger } from 'pino'
import type { Bus, BusChannelState, BusEvent } from '../bus/types'

/** How a channel ended: its terminal event. */
export type ChannelEnd =
  { readonly event: 'done'; readonly data: DoneData } | { readonly event: 'error'; readonly data: ErrorData }

/**
 * Lifecycle callbacks. For one channel on one instance `onError` or `onTimeout` fires first when it
 * applies, then `onCompletion` exactly once, after the terminal event was written to every subscriber.
 */
export interface ChannelCallbacks {
  onCompletion?(key: string, end: ChannelEnd): void
  onError?(key: string, error: ErrorData): void
  onTimeout?(key: string): void
}

export interface ReplayOptions {
  /** Most events kept per channel for `Last-Event-ID` (default 2000). */
  readonly maxEvents?: number
  /** Most bytes of event data kept per channel (default 512 KiB). */
  readonly maxBytes?: number
  /** How long an ended channel stays readable, so a late reconnect still sees its end (default 60 s). */
  readonly graceMs?: number
}

export interface ChannelRegistryOptions extends ChannelCallbacks {
  /** Where events travel and channel state lives; in memory by default. */
  readonly bus?: Bus
  /** Used to build the in-memory bus when `bus` is not given. */
  readonly replay?: ReplayOptions
  /** How long events sent to a channel nobody listens to are kept (default 60 s). */
  readonly earlySendTtlMs?: number
  /** Absolute lifetime of a channel from its first connect or open (default 10 minutes; 0 = none). */
  readonly timeoutMs?: number
  /** Interval of `: ping` comments (default 15 s; 0 = none). */
  readonly heartbeatMs?: number
  /** `retry:` sent first on every stream (default 1000 ms). */
  readonly retryMs?: number
  /** Bytes a subscriber may have unwritten before it is dropped (default 1 MiB). */
  readonly maxQueueBytes?: number
  readonly logger?: Logger
}

export interface ConnectOptions {
  /**
   * The client's `Last-Event-ID` (as sent, or parsed): replay strictly after it. Without it the whole
   * buffer is replayed; one that is not a decimal id of the buffer gets `error` `resume_unavailable`.
   */
  readonly lastEventId?: number | string | null
  /** Lifetime of the channel when this connect creates it; an existing channel keeps its deadline. */
  readonly timeoutMs?: number
  /**
   * Writes each event of the channel for this subscriber alone (e.g. the chat's plain-text payloads);
   * every subscriber shares one standard frame otherwise.
   */
  readonly frame?: FrameFormat
}

/** The text of one event as one subscriber gets it. */
export type FrameFormat = (event: BusEvent) => string

export interface OpenOptions extends ChannelCallbacks {
  /** Lifetime of the channel when this call creates it; an existing channel keeps its deadline. */
  readonly timeoutMs?: number
}

/** One connected response. */
export interface Subscriber {
  readonly key: string
  /** Unique within the registry: tells an old subscriber of a key from a newer one. */
  readonly id: number
  /** Ends this response without a terminal event (the client will reconnect). */
  close(): void
}

export interface SendResult {
  readonly id: number
  /**
   * Subscribers the event was handed to with the in-memory bus; with the Redis bus, the instances that
   * listen to the key (see `PublishOutcome`). 0: it reached nobody yet and waits in the replay buffer.
   */
  readonly delivered: number
}

export type ChannelState = BusChannelState

export interface RegistryStats {
  /** Open subscriber connections on this instance. */
  readonly connections: number
  /** Channels with local subscribers or an open producer on this instance. */
  readonly channels: number
  /** Events published through this registry. */
  readonly eventsSent: number
  /** Event frames written to subscribers, live or replayed. */
  readonly deliveries: number
  /** Events written from the replay buffer. */
  readonly replays: number
  readonly drops: number
  readonly timeouts: number
}

export interface ChannelRegistry {
  /**
   * Subscribes `res`: writes the SSE headers and `retry:` at once, replays, then streams live events until
   * the channel ends, the client leaves (`res` 'close') or the subscriber is dropped for not draining.
   * An unknown key is created: sends may come later.
   */
  connect(key: string, res: ServerResponse, options?: ConnectOptions): Promise<Subscriber>
  /**
   * Holds the channel open on this instance without a subscriber (a producer such as a chat answer),
   * with callbacks for this channel only. Throws `ChannelClosedError` when it has ended.
   */
  open(key: string, options?: OpenOptions): Promise<ChannelState>
  /** Throws `ChannelClosedError` after the end, `InvalidEventNameError` for `done`/`error` or a bad name. */
  send(key: string, event: string, data: unknown): Promise<SendResult>
  /** Ends with `done` (reason `complete` unless given). True when this call ended it; false if already ended. */
  complete(key: string, data?: Partial<DoneData>): Promise<boolean>
  /** Ends with `error`. True when this call ended it; false if already ended. */
  error(key: string, error: ErrorData | Error): Promise<boolean>
  /**
   * Detaches without ending the channel: one subscriber (never a newer one on the same key) or, without
   * `subscriber`, every local subscriber and producer of the key.
   */
  remove(key: string, subscriber?: Subscriber): void
  /** The bus's view of the channel, or null when it is unknown or expired. */
  state(key: string): Promise<ChannelState | null>
  stats(): RegistryStats
  readonly bus: Bus
  /**
   * Closes every local subscriber and stops timers. Without `end` they get no terminal event (they
   * reconnect elsewhere); with it every channel open here first ends with that `done`, for a server that
   * is the only one that could carry them on.
   */
  close(options?: { readonly end?: Partial<DoneData> }): Promise<void>
}
