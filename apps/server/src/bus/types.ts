/**
 * The bus carries events from `send` to the subscribers of a channel, wherever they are connected.
 *
 * It owns everything that must agree across server instances: the channel's sequence of ids, its replay
 * buffer, early sends kept for a subscriber that has not connected yet, the absolute deadline and the
 * terminal state. A Redis implementation keeps these in Redis (Streams for the log, a Lua script so that
 * "append unless ended" is atomic) and fans out with pub/sub; the registry does not change.
 */

/** One event as stored and delivered: `data` is already JSON text, serialised once for every subscriber. */
export interface BusEvent {
  /** Decimal sequence of the channel: 1, 2, 3, ... one per event. */
  readonly id: number
  readonly event: string
  readonly data: string
}

export interface BusChannelState {
  /** Id of the last event appended, 0 when none. */
  readonly lastId: number
  /** Id of the oldest event still buffered; `lastId + 1` when the buffer is empty. */
  readonly firstId: number
  /** True once a terminal event (`done` or `error`) was appended. */
  readonly ended: boolean
  /** Epoch ms at which the channel times out, or null for no deadline. */
  readonly deadlineAt: number | null
}

export interface OpenChannelOptions {
  /**
   * Applied by the first open only (null = no deadline): the first opener fixes the absolute lifetime.
   * A channel created by an early publish has no deadline until then.
   */
  readonly deadlineAt: number | null
}

export interface PublishInput {
  readonly event: string
  readonly data: string
  /** Appends the event and ends the channel in one atomic step. */
  readonly terminal: boolean
}

export type PublishOutcome =
  | {
      readonly ok: true
      readonly id: number
      /**
       * Who the event reached at once; 0 means nobody listens and it waits as an early send. The in-memory
       * bus (one instance) counts the subscribers its listeners handed it to. The Redis bus cannot see
       * other instances' sockets: it counts the instances listening to the channel (Redis's answer to
       * PUBLISH), this one included, and an instance listens while it has subscribers or a producer
       * holding the channel open (`registry.open`), even with no subscriber.
       */
      readonly delivered: number
    }
  | { readonly ok: false; readonly reason: 'ended' }

/** What a reader after `afterId` gets back. */
export type ReadOutcome =
  /** Every event after `afterId` (all buffered events when `afterId` is null). */
  | { readonly kind: 'events'; readonly events: readonly BusEvent[]; readonly state: BusChannelState }
  /** Events after `afterId` were trimmed from the buffer, or `afterId` is ahead of the channel. */
  | { readonly kind: 'gap'; readonly state: BusChannelState }
  /** The bus knows nothing of the channel (never opened, or expired). */
  | { readonly kind: 'missing' }

/** Receives each event of a channel on this instance; answers how many local subscribers got it. */
export type BusListener = (event: BusEvent) => number

/**
 * Told that its listener may have missed events of the channel and that the bus cannot hand them on (a
 * link dropped, or the log no longer holds them). What the listener passed downstream is no longer known
 * to be continuous: whoever received it must resume from the bus's log, which says precisely what is gone.
 */
export type BusInterruptListener = () => void

export interface BusSubscription {
  unsubscribe(): Promise<void>
}

/**
 * What one instance's bus holds, never a cluster total. The in-memory bus counts every channel whose state
 * it keeps: live, waiting for a subscriber, or in its grace period. The Redis bus counts only the channels
 * this instance listens to, with their whole logs (shared with the other instances), as of its last ttl
 * renewal (a third of `earlySendTtlMs`, at most 10 s); it is all zeros while it listens to none.
 */
export interface BusStats {
  readonly channels: number
  /** Events in the replay buffers of those channels. */
  readonly bufferedEvents: number
  readonly bufferedBytes: number
}

export interface Bus {
  /** Creates the channel when absent; an existing channel keeps its ids, buffer and deadline. */
  open(key: string, options: OpenChannelOptions): Promise<BusChannelState>
  /** Appends an event (creating the channel when absent) unless the channel has ended. */
  publish(key: string, input: PublishInput): Promise<PublishOutcome>
  read(key: string, afterId: number | null): Promise<ReadOutcome>
  state(key: string): Promise<BusChannelState | null>
  /**
   * Listens to the channel's new events. While a channel has listeners its early-send TTL does not run:
   * the bus keeps it until it ends. `onInterrupted` fires whenever `listener` may have missed some.
   */
  subscribe(
    key: string,
    listener: BusListener,
    onInterrupted?: BusInterruptListener,
  ): Promise<BusSubscription>
  /** Forgets the channel: ids, buffer and terminal state. Listeners stay subscribed. */
  delete(key: string): Promise<void>
  /** This instance's view; see `BusStats`. */
  stats(): BusStats
  close(): Promise<void>
}
