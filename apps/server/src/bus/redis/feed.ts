import type { BusEvent, BusInterruptListener, BusListener, ReadOutcome } from '../types'

export interface FeedSource {
  /** Reads the channel's log after `afterId`, to fill a gap in what pub/sub delivered. */
  read(afterId: number): Promise<ReadOutcome>
  /** Events were lost for good (trimmed, or Redis lost the channel): the listeners cannot be made whole. */
  lost(feed: ChannelFeed): void
}

/**
 * One channel's events on this instance: hands each event to every local listener once and in id order.
 * Pub/sub delivers at most once, so an event whose id skips ahead (a message lost while the link was down)
 * first has the missing ones read from the channel's log; events arriving meanwhile wait in order.
 */
export class ChannelFeed {
  /** Each local listener, with what it wants to hear when it may have missed events. */
  readonly listeners = new Map<BusListener, BusInterruptListener | undefined>()
  /** Highest id handed to the listeners; null until the first. */
  private delivered: number | null = null
  /** The channel's last id when the feed started listening; null while unknown. */
  private baseline: number | null = null
  private waiting: BusEvent[] | null = null

  constructor(
    readonly key: string,
    private readonly source: FeedSource,
  ) {}

  /** Records the channel's last id once the subscription is live. */
  start(lastId: number): void {
    this.baseline = lastId
  }

  receive(event: BusEvent): void {
    if (this.waiting) {
      this.waiting.push(event)
      return
    }
    const last = this.delivered ?? this.baseline
    // Before the first delivery an event at or below the baseline may still be news to a listener that
    // has not read the log yet (its publish raced the subscription); repeats are harmless downstream.
    if (last === null || event.id === last + 1 || (this.delivered === null && event.id <= last)) {
      this.deliver(event)
    } else if (event.id > last + 1) {
      void this.catchUp(last, [event])
    }
  }

  /** After the link came back: delivers whatever was published while it was down. */
  resume(): Promise<void> {
    const last = this.delivered ?? this.baseline
    return this.waiting || last === null ? Promise.resolve() : this.catchUp(last, [])
  }

  private async catchUp(after: number, pending: BusEvent[]): Promise<void> {
    this.waiting = pending
    let outcome: ReadOutcome | null = null
    try {
      outcome = await this.source.read(after)
    } catch {
      // Redis failed: what was missed cannot be read, so it counts as lost.
    }
    if (outcome?.kind === 'events') {
      for (const e of outcome.events) if (e.id > (this.delivered ?? after)) this.deliver(e)
    } else if (outcome?.kind !== 'missing' || after > 0) {
      this.source.lost(this)
      // Starts over from the channel as it is now, for listeners that read the log after this point.
      this.delivered = null
      this.baseline = outcome && outcome.kind !== 'missing' ? outcome.state.lastId : null
    }
    const waiting = this.waiting
    this.waiting = null
    for (const e of waiting) this.receive(e)
  }

  private deliver(event: BusEvent): void {
    this.delivered = event.id
    for (const listener of [...this.listeners.keys()]) listener(event)
  }
}
