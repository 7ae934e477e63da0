import { TERMINAL_EVENTS } from '@kit/protocol'
import type { Bus, BusChannelState, BusEvent, BusSubscription } from '../bus/types'
import type { Logger } from '../logging/logger'
import { eventFrame } from './frames'
import type { LeaveReason, SseSubscriber, SubscriberHost } from './subscriber'
import type { Deadline, DeadlineQueue } from './deadlines'
import { SmallSet } from './small-set'
import type { ChannelCallbacks, ChannelEnd } from './types'
import type { WriteBatcher } from './write-batcher'

/** What a local channel needs from its registry. */
export interface ChannelContext {
  readonly bus: Bus
  readonly maxQueueBytes: number
  readonly batcher: WriteBatcher
  readonly deadlines: DeadlineQueue<LocalChannel>
  readonly logger: Logger | undefined
  delivered(count: number): void
  left(subscriber: SseSubscriber, reason: LeaveReason): void
  /** The channel observed its terminal event live. */
  ended(channel: LocalChannel, end: ChannelEnd): void
  released(channel: LocalChannel): void
}

export const endOf = (e: BusEvent): ChannelEnd | null =>
  TERMINAL_EVENTS.includes(e.event) ? ({ event: e.event, data: JSON.parse(e.data) } as ChannelEnd) : null

/**
 * A channel as seen by one instance: its local subscribers, producers holding it open, one bus
 * subscription and its place in the deadline queue. It exists only while it has subscribers or a
 * producer, and leaves the queue, the bus and the registry's map the moment it ends. Thousands of idle
 * channels are the common case, so it is kept small: no timer or promise of its own.
 */
export class LocalChannel implements SubscriberHost, Deadline {
  readonly subscribers = new SmallSet<SseSubscriber>()
  /** One entry per producer holding the channel open (`registry.open`), with its callbacks. */
  hooks: ChannelCallbacks[] | null = null
  deadlineAt = 0
  heapIndex = -1
  private released = false
  private subscription: BusSubscription | Promise<BusSubscription>

  constructor(
    readonly key: string,
    private readonly ctx: ChannelContext,
  ) {
    const subscribing = ctx.bus.subscribe(
      key,
      (e) => this.onEvent(e),
      () => this.onInterrupted(),
    )
    this.subscription = subscribing
    subscribing.then(
      (s) => (this.subscription = s),
      () => undefined, // open() awaits the same promise and reports the failure
    )
  }

  get maxQueueBytes(): number {
    return this.ctx.maxQueueBytes
  }

  get batcher(): WriteBatcher {
    return this.ctx.batcher
  }

  /** Opens the channel on the bus (the first opener fixes the deadline) and arms the local timer. */
  async open(timeoutMs: number): Promise<BusChannelState> {
    await this.subscription
    const deadlineAt = timeoutMs > 0 ? Date.now() + timeoutMs : null
    const state = await this.ctx.bus.open(this.key, { deadlineAt })
    if (!state.ended && state.deadlineAt !== null && !this.released)
      this.ctx.deadlines.add(this, state.deadlineAt)
    return state
  }

  leave(subscriber: SseSubscriber, reason: LeaveReason): void {
    this.subscribers.delete(subscriber)
    this.ctx.left(subscriber, reason)
    this.releaseIfIdle()
  }

  releaseIfIdle(): void {
    if (this.subscribers.size === 0 && !this.hooks?.length) this.release()
  }

  release(): void {
    if (this.released) return
    this.released = true
    this.ctx.deadlines.remove(this)
    // Nobody awaits the unsubscribe: a failure (Redis unreachable) must be logged, not left unhandled.
    Promise.resolve(this.subscription)
      .then(
        (s) => s.unsubscribe(),
        () => undefined, // open() reported the failure to subscribe
      )
      .catch((err: unknown) => this.ctx.logger?.error({ key: this.key, err }, 'could not leave the bus'))
    this.ctx.released(this)
  }

  /**
   * The bus may have lost events on their way here, so the subscribers' streams have holes: they are
   * closed to resume from `Last-Event-ID` (or learn what is gone). Producers keep the channel and still
   * hear its end.
   */
  private onInterrupted(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close()
  }

  private onEvent(event: BusEvent): number {
    if (this.released) return 0
    const frame = eventFrame(event)
    let delivered = 0
    for (const subscriber of this.subscribers) delivered += subscriber.deliver(event, frame)
    this.ctx.delivered(delivered)
    const end = endOf(event)
    if (end) {
      this.release()
      this.ctx.ended(this, end)
    }
    return delivered
  }
}
