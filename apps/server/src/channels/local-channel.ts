import { TERMINAL_EVENTS } from '@kit/protocol'
import type { Bus, BusChannelState, BusEvent, BusSubscription } from '../bus/types'
import { eventFrame } from './frames'
import type { LeaveReason, SseSubscriber, SubscriberHost } from './subscriber'
import type { ChannelCallbacks, ChannelEnd } from './types'
import type { WriteBatcher } from './write-batcher'

/** What a local channel needs from its registry. */
export interface ChannelContext {
  readonly bus: Bus
  readonly maxQueueBytes: number
  readonly batcher: WriteBatcher
  delivered(count: number): void
  left(subscriber: SseSubscriber, reason: LeaveReason): void
  /** The channel observed its terminal event live. */
  ended(channel: LocalChannel, end: ChannelEnd): void
  /** The deadline passed: end the channel with `done {reason:"timeout"}`. */
  timedOut(key: string): void
  released(channel: LocalChannel): void
}

// setTimeout fires at once for delays above 2^31-1 ms; longer deadlines are re-armed in steps.
const MAX_TIMER_MS = 2 ** 31 - 1

export const endOf = (e: BusEvent): ChannelEnd | null =>
  TERMINAL_EVENTS.includes(e.event) ? ({ event: e.event, data: JSON.parse(e.data) } as ChannelEnd) : null

/**
 * A channel as seen by one instance: its local subscribers, producers holding it open, one bus
 * subscription and the deadline timer. It exists only while it has subscribers or a producer, and
 * releases its timer, bus listener and map entry the moment it ends.
 */
export class LocalChannel implements SubscriberHost {
  readonly subscribers = new Set<SseSubscriber>()
  /** One entry per producer holding the channel open (`registry.open`), with its callbacks. */
  readonly hooks: ChannelCallbacks[] = []
  private released = false
  private deadline: NodeJS.Timeout | null = null
  private readonly subscription: Promise<BusSubscription>

  constructor(
    readonly key: string,
    private readonly ctx: ChannelContext,
  ) {
    this.subscription = ctx.bus.subscribe(key, (e) => this.onEvent(e))
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
    if (!state.ended && state.deadlineAt !== null) this.arm(state.deadlineAt)
    return state
  }

  leave(subscriber: SseSubscriber, reason: LeaveReason): void {
    this.subscribers.delete(subscriber)
    this.ctx.left(subscriber, reason)
    this.releaseIfIdle()
  }

  releaseIfIdle(): void {
    if (this.subscribers.size === 0 && this.hooks.length === 0) this.release()
  }

  release(): void {
    if (this.released) return
    this.released = true
    if (this.deadline) clearTimeout(this.deadline)
    this.deadline = null
    void this.subscription.then((s) => s.unsubscribe())
    this.ctx.released(this)
  }

  private arm(deadlineAt: number): void {
    if (this.released || this.deadline) return
    const delay = Math.max(0, deadlineAt - Date.now())
    this.deadline = setTimeout(
      () => {
        this.deadline = null
        if (Date.now() < deadlineAt) this.arm(deadlineAt)
        else this.ctx.timedOut(this.key)
      },
      Math.min(delay, MAX_TIMER_MS),
    )
    this.deadline.unref()
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
