import type { Redis } from 'ioredis'
import { channelKeys } from '../../bus/redis/keys'
import type { Logger } from '../../logging/logger'
import type { PubSub } from '../../redis/pubsub'
import type { ChatStreamState, StreamControl, StreamRecord } from '../types'
import { streamKeys } from './keys'
import {
  beginScript,
  claimLostScript,
  endScript,
  renewScript,
  unwatchScript,
  watchScript,
} from './stream-scripts'

export interface RedisStreamStateOptions {
  readonly redis: Redis
  readonly pubsub: PubSub
  readonly prefix: string
  /** A generator that stops renewing its lease for this long is lost (default 5 s). */
  readonly leaseMs?: number
  /** How long the record of an answer whose generator vanished is kept (default 60 s). */
  readonly abandonedTtlMs?: number
  /**
   * An answer's generator vanished before ending it (its instance died or lost Redis for longer than the
   * lease). Called on one instance of the cluster, one that has a client watching the answer.
   */
  readonly onGeneratorLost?: (streamId: string, record: StreamRecord) => void
  readonly logger?: Logger
}

export interface RedisChatStreamState extends ChatStreamState {
  /** Stops the timers; the connections belong to the caller. */
  close(): void
}

const CONTROLS: readonly string[] = ['stop', 'watched', 'unwatched'] satisfies StreamControl[]

const recordOf = (fields: Record<string, string>): StreamRecord | undefined =>
  fields.userId === undefined
    ? undefined
    : {
        userId: fields.userId,
        instanceId: fields.instanceId ?? '',
        conversationId: fields.conversationId ?? '',
        messageId: fields.messageId ?? '',
        ended: fields.ended === '1',
      }

/**
 * Which instance generates each answer, shared by the cluster: a record per answer, a lease the generator
 * renews while it runs, and controls (stop, watched, unwatched) sent to it over pub/sub. Instances that
 * have a client watching an answer check its lease, so the death of its generator ends it with an error.
 */
export function createRedisStreamState(options: RedisStreamStateOptions): RedisChatStreamState {
  const { redis, pubsub, prefix, logger, onGeneratorLost } = options
  const leaseMs = options.leaseMs ?? 5000
  const abandonedTtlMs = options.abandonedTtlMs ?? 60_000
  const recordTtlMs = leaseMs + abandonedTtlMs
  const renewals = new Map<string, NodeJS.Timeout>()
  /** Answers watched by clients of this instance, with how many. */
  const watched = new Map<string, number>()
  let watchdog: NodeJS.Timeout | null = null

  const keysOf = (streamId: string) => streamKeys(prefix, streamId)
  const pair = (streamId: string): string[] => {
    const k = keysOf(streamId)
    return [k.record, k.lease]
  }

  async function checkLease(streamId: string): Promise<void> {
    const reply = (await claimLostScript.run(redis, pair(streamId), [abandonedTtlMs])) as string[]
    const fields: Record<string, string> = {}
    for (let at = 0; at + 1 < reply.length; at += 2) fields[reply[at]!] = reply[at + 1]!
    const record = recordOf(fields)
    if (!record) return
    logger?.warn({ streamId, instanceId: record.instanceId }, 'the instance generating an answer is gone')
    onGeneratorLost?.(streamId, record)
  }

  const checkAll = (): void => {
    for (const streamId of watched.keys()) {
      checkLease(streamId).catch((err: unknown) =>
        logger?.debug({ err, streamId }, 'could not check a lease'),
      )
    }
  }

  function stopRenewing(streamId: string): void {
    clearInterval(renewals.get(streamId))
    renewals.delete(streamId)
  }

  return {
    async begin(streamId, owner) {
      const { userId, instanceId, conversationId, messageId } = owner
      await beginScript.run(redis, pair(streamId), [
        userId,
        instanceId,
        conversationId,
        messageId,
        leaseMs,
        recordTtlMs,
      ])
      stopRenewing(streamId)
      const timer = setInterval(() => {
        renewScript.run(redis, pair(streamId), [leaseMs, recordTtlMs]).then(
          (renewed) => renewed === 0 && stopRenewing(streamId),
          (err: unknown) => logger?.warn({ err, streamId }, 'could not renew the lease of an answer'),
        )
      }, leaseMs / 3)
      timer.unref()
      renewals.set(streamId, timer)
    },

    async get(streamId) {
      return recordOf(await redis.hgetall(keysOf(streamId).record))
    },

    async watch(streamId) {
      const counted = await watchScript.run(redis, [keysOf(streamId).record], [keysOf(streamId).control])
      if (counted !== 1) return
      watched.set(streamId, (watched.get(streamId) ?? 0) + 1)
      if (!watchdog) {
        watchdog = setInterval(checkAll, leaseMs / 2)
        watchdog.unref()
      }
      await checkLease(streamId)
    },

    async unwatch(streamId) {
      const left = (watched.get(streamId) ?? 0) - 1
      if (left > 0) watched.set(streamId, left)
      else watched.delete(streamId)
      if (watched.size === 0 && watchdog) {
        clearInterval(watchdog)
        watchdog = null
      }
      // Called as a response closes, with nobody to tell: a failure is logged, and the generator then
      // runs to its end instead of stopping after the grace period.
      await unwatchScript
        .run(redis, [keysOf(streamId).record], [keysOf(streamId).control])
        .catch((err: unknown) => logger?.warn({ err, streamId }, 'could not count a watcher out'))
    },

    async requestStop(streamId) {
      await redis.publish(keysOf(streamId).control, 'stop')
    },

    async listen(streamId, listener) {
      return pubsub.subscribe(keysOf(streamId).control, (message) => {
        if (CONTROLS.includes(message)) listener(message as StreamControl)
      })
    },

    async end(streamId, retainMs) {
      stopRenewing(streamId)
      // The answer's channel key is its stream id (docs/protocol.md): its state says whether it got its end.
      const channel = channelKeys(prefix, streamId).meta
      await endScript.run(redis, [...pair(streamId), channel], [Math.max(1, Math.ceil(retainMs))])
    },

    close() {
      for (const timer of renewals.values()) clearInterval(timer)
      renewals.clear()
      if (watchdog) clearInterval(watchdog)
      watchdog = null
      watched.clear()
    },
  }
}
