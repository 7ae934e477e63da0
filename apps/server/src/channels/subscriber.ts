import type { ServerResponse } from 'node:http'
import { SSE_HEADERS, TERMINAL_EVENTS } from '@kit/protocol'
import type { BusEvent } from '../bus/types'
import { eventFrame, PING_FRAME, retryFrame } from './frames'
import { flattenHeader, writeBody } from './response-io'
import type { FrameFormat, Subscriber } from './types'
import type { Flushable, WriteBatcher } from './write-batcher'

/** Why a subscriber left. Only `ended` means the client saw a terminal event. */
export type LeaveReason = 'ended' | 'disconnected' | 'dropped' | 'closed' | 'unavailable'

export interface SubscriberHost {
  readonly maxQueueBytes: number
  readonly batcher: WriteBatcher
  leave(subscriber: SseSubscriber, reason: LeaveReason): void
}

/** Beyond this much buffered text a subscriber is flushed at once instead of at the end of the turn. */
const FLUSH_AT_CHARS = 16 * 1024

const isTerminal = (e: BusEvent): boolean => TERMINAL_EVENTS.includes(e.event)

/**
 * One response subscribed to a channel. It joins the channel before its replay is read; until `goLive`
 * it holds live events back, afterwards it writes every event with an id above the last it wrote, so
 * overlaps between replay and live delivery are neither lost nor doubled.
 */
export class SseSubscriber implements Subscriber, Flushable {
  lastId = 0
  private pending = ''
  private backlog: BusEvent[] | null = []
  private backlogBytes = 0
  private left = false
  private started = false
  /** Waiting in the batcher for the end of the turn. */
  private marked = false
  private readonly onClose = (): void => this.leave('disconnected')

  constructor(
    readonly key: string,
    readonly id: number,
    readonly res: ServerResponse,
    private readonly host: SubscriberHost,
    private readonly format: FrameFormat = eventFrame,
  ) {
    res.on('close', this.onClose)
  }

  /** Writes the SSE headers and `retry:` in one go, before any event exists. */
  start(retryMs: number): void {
    if (this.left || this.started) return
    this.started = true
    this.res.writeHead(200, SSE_HEADERS)
    this.res.write(retryFrame(retryMs))
    flattenHeader(this.res)
  }

  /** Answers 204: EventSource stops reconnecting to a channel whose end the client has already seen. */
  endEmpty(): void {
    if (this.left || this.started) return
    this.started = true
    this.res.writeHead(204).end()
    this.leave('ended')
  }

  /**
   * A live event of the channel; `frame` is formatted once for every subscriber that keeps the standard
   * format. Answers 1 if taken.
   */
  deliver(event: BusEvent, frame: string): number {
    if (this.left) return 0
    if (this.backlog) {
      this.backlog.push(event)
      this.backlogBytes += event.data.length
      if (this.backlogBytes > this.host.maxQueueBytes) this.drop()
      return 1
    }
    return this.writeEvent(event, this.format === eventFrame ? frame : this.format(event)) ? 1 : 0
  }

  /** Writes the replayed events, then what arrived meanwhile, then passes live events straight through. */
  goLive(replayed: readonly BusEvent[]): number {
    let written = 0
    for (const e of replayed) if (this.writeEvent(e, this.format(e))) written += 1
    const backlog = this.backlog ?? []
    this.backlog = null
    this.backlogBytes = 0
    for (const e of backlog) this.writeEvent(e, this.format(e))
    // A subscriber waits for its first event: no reason to wait for the end of the turn too.
    this.flush()
    return written
  }

  /** Writes a final frame outside the sequence and ends the response (e.g. `resume_unavailable`). */
  endWith(frame: string, reason: LeaveReason): void {
    if (this.left) return
    this.pending += frame
    this.finish(reason)
  }

  /** Pings on every beat, busy or not: the silence a proxy sees never exceeds the interval. */
  heartbeat(): void {
    if (this.started && !this.left) this.write(PING_FRAME)
  }

  flush(): void {
    this.marked = false
    if (this.left || this.pending === '') return
    const text = this.pending
    this.pending = ''
    writeBody(this.res, text)
    if (this.res.writableLength > this.host.maxQueueBytes) this.drop()
  }

  close(): void {
    this.finish('closed')
  }

  private writeEvent(event: BusEvent, frame: string): boolean {
    if (this.left || event.id <= this.lastId) return false
    this.lastId = event.id
    if (isTerminal(event)) {
      this.pending += frame
      this.finish('ended')
    } else {
      this.write(frame)
    }
    return true
  }

  /** Queues text for the end of the turn; the queue bound is checked when it is flushed. */
  private write(text: string): void {
    this.pending += text
    if (this.pending.length >= FLUSH_AT_CHARS) this.flush()
    else if (!this.marked) {
      this.marked = true
      this.host.batcher.mark(this)
    }
  }

  /** Ends the response normally after writing what is pending. */
  private finish(reason: LeaveReason): void {
    if (this.left) return
    const text = this.pending
    this.pending = ''
    this.res.end(text)
    this.leave(reason)
  }

  /** A subscriber that does not drain is cut off; it reconnects with `Last-Event-ID` and replays. */
  private drop(): void {
    if (this.left) return
    this.pending = ''
    this.backlog = null
    this.res.destroy()
    this.leave('dropped')
  }

  private leave(reason: LeaveReason): void {
    if (this.left) return
    this.left = true
    this.res.off('close', this.onClose)
    this.host.leave(this, reason)
  }
}
