import type {
  Bus,
  BusChannelState,
  BusEvent,
  BusListener,
  BusStats,
  BusSubscription,
  OpenChannelOptions,
  PublishInput,
  PublishOutcome,
  ReadOutcome,
} from './types'
import { DeadlineQueue, type Deadline } from '../channels/deadlines'

export interface MemoryBusOptions {
  /** Most events kept per channel (default 2000). */
  readonly maxEvents?: number
  /** Most bytes of event data kept per channel (default 512 KiB). */
  readonly maxBytes?: number
  /** How long an ended channel stays readable (default 60 s). */
  readonly graceMs?: number
  /** How long a channel without listeners is kept after its last activity (default 60 s). */
  readonly earlySendTtlMs?: number
}

interface ChannelLog {
  lastId: number
  readonly events: BusEvent[]
  bytes: number
  ended: boolean
  deadlineAt: number | null
  /** Whether an opener fixed the deadline yet; a channel created by an early send has none fixed. */
  deadlineFixed: boolean
  readonly expiry: Expiry
}

/** When a channel's state is forgotten; queued only while nobody listens or after it ended. */
interface Expiry extends Deadline {
  readonly key: string
}

/** A class, not a closure: one per channel, and it should weigh three fields. */
class Subscription implements BusSubscription {
  constructor(
    private readonly key: string,
    private readonly listener: BusListener,
    private readonly remove: (key: string, listener: BusListener) => Promise<void>,
  ) {}

  unsubscribe(): Promise<void> {
    return this.remove(this.key, this.listener)
  }
}

const eventBytes = (e: BusEvent): number => Buffer.byteLength(e.data) + e.event.length

/** The bus of a single instance: state and fan-out in this process. */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const maxEvents = options.maxEvents ?? 2000
  const maxBytes = options.maxBytes ?? 512 * 1024
  const graceMs = options.graceMs ?? 60_000
  const earlySendTtlMs = options.earlySendTtlMs ?? 60_000
  const logs = new Map<string, ChannelLog>()
  // Kept apart from the logs: a listener outlives the expiry or deletion of the state it listens to.
  // Arrays, not sets: a key has one listener per registry, and an idle channel should cost little.
  const listeners = new Map<string, BusListener[]>()
  let bufferedEvents = 0
  let bufferedBytes = 0
  // One timer for every expiry, not a Timeout and a closure per channel: every subscriber that leaves
  // schedules one, and each would live the whole TTL, long enough to reach the old generation.
  const expiries = new DeadlineQueue<Expiry>((expiry) => forget(expiry.key))

  const snapshot = (log: ChannelLog): BusChannelState => ({
    lastId: log.lastId,
    firstId: log.events[0]?.id ?? log.lastId + 1,
    ended: log.ended,
    deadlineAt: log.deadlineAt,
  })

  function forget(key: string): void {
    const log = logs.get(key)
    if (!log) return
    expiries.remove(log.expiry)
    bufferedEvents -= log.events.length
    bufferedBytes -= log.bytes
    logs.delete(key)
  }

  function expireAfter(log: ChannelLog, ms: number): void {
    expiries.remove(log.expiry)
    expiries.add(log.expiry, Date.now() + ms)
  }

  /** Ended channels expire after the grace period; idle ones after the early-send TTL; listened-to ones never. */
  function scheduleExpiry(key: string, log: ChannelLog): void {
    if (log.ended) return
    if (listeners.has(key)) expiries.remove(log.expiry)
    else expireAfter(log, earlySendTtlMs)
  }

  function getOrCreate(key: string): ChannelLog {
    let log = logs.get(key)
    if (!log) {
      log = {
        lastId: 0,
        events: [],
        bytes: 0,
        ended: false,
        deadlineAt: null,
        deadlineFixed: false,
        expiry: { key, deadlineAt: 0, heapIndex: -1 },
      }
      logs.set(key, log)
    }
    return log
  }

  function append(log: ChannelLog, event: BusEvent): void {
    const size = eventBytes(event)
    log.events.push(event)
    log.bytes += size
    bufferedEvents += 1
    bufferedBytes += size
    // The newest event is always kept, even alone over the byte bound: a terminal event must stay readable.
    while (log.events.length > 1 && (log.events.length > maxEvents || log.bytes > maxBytes)) {
      const dropped = log.events.shift() as BusEvent
      const droppedSize = eventBytes(dropped)
      log.bytes -= droppedSize
      bufferedEvents -= 1
      bufferedBytes -= droppedSize
    }
  }

  function deliver(key: string, event: BusEvent): number {
    let delivered = 0
    const list = listeners.get(key)
    if (list) for (const listener of list) delivered += listener(event)
    return delivered
  }

  async function unsubscribe(key: string, listener: BusListener): Promise<void> {
    const list = listeners.get(key)
    const at = list?.indexOf(listener) ?? -1
    if (!list || at < 0) return
    list.splice(at, 1)
    if (list.length > 0) return
    listeners.delete(key)
    const log = logs.get(key)
    if (log) scheduleExpiry(key, log)
  }

  return {
    async open(key: string, { deadlineAt }: OpenChannelOptions): Promise<BusChannelState> {
      const log = getOrCreate(key)
      if (!log.deadlineFixed) {
        log.deadlineAt = deadlineAt
        log.deadlineFixed = true
      }
      scheduleExpiry(key, log)
      return snapshot(log)
    },

    async publish(key: string, { event, data, terminal }: PublishInput): Promise<PublishOutcome> {
      const log = getOrCreate(key)
      if (log.ended) return { ok: false, reason: 'ended' }
      const stored: BusEvent = { id: log.lastId + 1, event, data }
      log.lastId = stored.id
      append(log, stored)
      if (terminal) {
        log.ended = true
        expireAfter(log, graceMs)
      } else {
        scheduleExpiry(key, log)
      }
      return { ok: true, id: stored.id, delivered: deliver(key, stored) }
    },

    async read(key: string, afterId: number | null): Promise<ReadOutcome> {
      const log = logs.get(key)
      if (!log) return { kind: 'missing' }
      const state = snapshot(log)
      if (afterId === null) return { kind: 'events', events: log.events.slice(), state }
      if (afterId > state.lastId || afterId < state.firstId - 1) return { kind: 'gap', state }
      return { kind: 'events', events: log.events.slice(afterId - state.firstId + 1), state }
    },

    async state(key: string): Promise<BusChannelState | null> {
      const log = logs.get(key)
      return log ? snapshot(log) : null
    },

    // Never interrupts: every event is handed on synchronously, in this process, so none can be missed.
    async subscribe(key: string, listener: BusListener): Promise<BusSubscription> {
      const list = listeners.get(key)
      if (list) list.push(listener)
      else listeners.set(key, [listener])
      const log = logs.get(key)
      if (log) scheduleExpiry(key, log)
      return new Subscription(key, listener, unsubscribe)
    },

    async delete(key: string): Promise<void> {
      forget(key)
    },

    stats(): BusStats {
      return { channels: logs.size, bufferedEvents, bufferedBytes }
    },

    async close(): Promise<void> {
      for (const key of [...logs.keys()]) forget(key)
      expiries.close()
      listeners.clear()
    },
  }
}
