import type { Redis } from 'ioredis'
import type { Logger } from '../logging/logger'
import type { PubSub } from '../redis/pubsub'
import { ChannelFeed } from './redis/feed'
import { channelKeys, type ChannelKeys } from './redis/keys'
import { decodeEvent } from './redis/message'
import { publishReply, readReply, stateReply } from './redis/replies'
import { orUnavailable } from './redis/unavailable'
import { openScript, publishScript, readScript, renewScript, stateScript } from './redis/scripts'
import type {
  Bus,
  BusChannelState,
  BusInterruptListener,
  BusListener,
  BusStats,
  BusSubscription,
  ReadOutcome,
} from './types'

export interface RedisBusOptions {
  /** Connection for commands; shared with other stores is fine. */
  readonly redis: Redis
  /** Pub/sub over its own connection. */
  readonly pubsub: PubSub
  /** Put before every key and pub/sub channel, so that several deployments (or tests) share one Redis. */
  readonly prefix: string
  /** Most events kept per channel (default 2000). */
  readonly maxEvents?: number
  /** Most bytes of event data kept per channel (default 512 KiB). */
  readonly maxBytes?: number
  /** How long an ended channel stays readable (default 60 s). */
  readonly graceMs?: number
  /** How long a channel nobody listens to is kept after its last activity (default 60 s). */
  readonly earlySendTtlMs?: number
  readonly logger?: Logger
}

interface Listening {
  readonly feed: ChannelFeed
  /** Resolves once the feed is live, with the function that stops it. */
  readonly live: Promise<() => Promise<void>>
}

/**
 * The bus of a server instance among several: each channel's ids, log, deadline and end live in Redis
 * (one hash and one stream per channel, changed only by Lua scripts), and every instance that has
 * listeners for a channel receives its events over pub/sub. Listeners are interrupted when the pub/sub
 * link drops, and again when the log no longer holds what a gap needs.
 */
export function createRedisBus(options: RedisBusOptions): Bus {
  const { redis, pubsub, prefix, logger } = options
  const maxEvents = options.maxEvents ?? 2000
  const maxBytes = options.maxBytes ?? 512 * 1024
  const graceMs = options.graceMs ?? 60_000
  const idleTtlMs = Math.max(options.earlySendTtlMs ?? 60_000, 1)
  // A channel listened to here must not expire: its ttl is renewed well before it runs out.
  const renewEveryMs = Math.max(Math.min(Math.floor(idleTtlMs / 3), 10_000), 1)
  const listening = new Map<string, Listening>()
  let stats: BusStats = { channels: 0, bufferedEvents: 0, bufferedBytes: 0 }
  let renewal: NodeJS.Timeout | null = null

  const keysOf = (key: string): ChannelKeys => channelKeys(prefix, key)
  const pair = (k: ChannelKeys): string[] => [k.meta, k.log]

  const read = async (key: string, afterId: number | null): Promise<ReadOutcome> =>
    readReply((await orUnavailable(readScript.run(redis, pair(keysOf(key)), [afterId ?? '']))) as unknown[])

  function interrupt(feeds: readonly ChannelFeed[]): void {
    if (feeds.length === 0) return
    logger?.warn({ keys: feeds.length }, 'listeners may have missed events; their subscribers must resume')
    for (const feed of feeds) {
      for (const onInterrupted of [...feed.listeners.values()]) {
        try {
          onInterrupted?.()
        } catch (err) {
          logger?.error({ err, key: feed.key }, 'a bus interrupt listener threw')
        }
      }
    }
  }

  async function renew(): Promise<void> {
    const keys = [...listening.keys()]
    const replies = await Promise.all(
      keys.map((key) =>
        renewScript.run(redis, pair(keysOf(key)), [idleTtlMs]).then(
          (reply) => reply as number[],
          () => [],
        ),
      ),
    )
    // Channels unsubscribed while the replies were on their way no longer count.
    const found = replies.filter((r, i) => r.length === 2 && listening.has(keys[i] as string))
    stats = {
      channels: found.length,
      bufferedEvents: found.reduce((n, r) => n + (r[0] ?? 0), 0),
      bufferedBytes: found.reduce((n, r) => n + (r[1] ?? 0), 0),
    }
  }

  function startRenewal(): void {
    if (renewal) return
    renewal = setInterval(() => void renew(), renewEveryMs)
    renewal.unref()
  }

  function stopRenewalWhenIdle(): void {
    if (listening.size > 0 || !renewal) return
    clearInterval(renewal)
    renewal = null
    stats = { channels: 0, bufferedEvents: 0, bufferedBytes: 0 }
  }

  function listen(key: string): Listening {
    const k = keysOf(key)
    const feed = new ChannelFeed(key, {
      read: (afterId) => read(key, afterId),
      lost: (lostFeed) => interrupt([lostFeed]),
    })
    const live = pubsub
      .subscribe(k.events, (message) => {
        const event = decodeEvent(message)
        if (event) feed.receive(event)
        else logger?.error({ key }, 'ignored a malformed bus message')
      })
      .then(async (stop) => {
        try {
          feed.start(Number((await redis.hget(k.meta, 'l')) ?? 0))
        } catch {
          // Redis is unreachable: the link's interruption reaches the listeners instead.
        }
        return stop
      })
    const entry = { feed, live }
    listening.set(key, entry)
    startRenewal()
    return entry
  }

  const unsubscribePubSub = [
    pubsub.onInterrupt(() => interrupt([...listening.values()].map((l) => l.feed))),
    pubsub.onResume(() => {
      for (const { feed } of listening.values()) void feed.resume()
    }),
  ]

  return {
    async open(key, { deadlineAt }) {
      const reply = await orUnavailable(
        openScript.run(redis, pair(keysOf(key)), [deadlineAt ?? '', idleTtlMs]),
      )
      // Never null: the script creates the channel when absent.
      return stateReply(reply as unknown[]) as BusChannelState
    },

    async publish(key, { event, data, terminal }) {
      const k = keysOf(key)
      const reply = await orUnavailable(
        publishScript.run(redis, pair(k), [
          event,
          data,
          terminal ? '1' : '0',
          maxEvents,
          maxBytes,
          idleTtlMs,
          graceMs,
          k.events,
        ]),
      )
      return publishReply(reply as unknown[])
    },

    read,

    async state(key) {
      return stateReply((await orUnavailable(stateScript.run(redis, pair(keysOf(key)), []))) as unknown[])
    },

    async subscribe(
      key: string,
      listener: BusListener,
      onInterrupted?: BusInterruptListener,
    ): Promise<BusSubscription> {
      const entry = listening.get(key) ?? listen(key)
      entry.feed.listeners.set(listener, onInterrupted)
      await entry.live
      return {
        async unsubscribe() {
          if (!entry.feed.listeners.delete(listener) || entry.feed.listeners.size > 0) return
          if (listening.get(key) !== entry) return
          listening.delete(key)
          stopRenewalWhenIdle()
          await (
            await entry.live
          )()
        },
      }
    },

    async delete(key) {
      await orUnavailable(redis.del(...pair(keysOf(key))))
    },

    stats: () => stats,

    async close() {
      for (const stop of unsubscribePubSub) stop()
      const entries = [...listening.values()]
      listening.clear()
      stopRenewalWhenIdle()
      await Promise.all(entries.map(async (e) => (await e.live)()))
    },
  }
}
