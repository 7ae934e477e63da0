import type { ServerResponse } from 'node:http'
import { DEFAULT_HEARTBEAT_MS, DEFAULT_RETRY_MS, ErrorCode, type ErrorData } from '@kit/protocol'
import { createMemoryBus } from '../bus/memory-bus'
import { ChannelClosedError, ChannelError } from './errors'
import { unsequencedFrame } from './frames'
import { LocalChannel, type ChannelContext } from './local-channel'
import { SseSubscriber, type LeaveReason } from './subscriber'
import type {
  ChannelCallbacks,
  ChannelEnd,
  ChannelRegistry,
  ChannelRegistryOptions,
  ChannelState,
  ConnectOptions,
  OpenOptions,
  RegistryStats,
  SendResult,
  Subscriber,
} from './types'
import { assertKey, assertSendableEvent, parseLastEventId } from './validate'
import { createWriteBatcher } from './write-batcher'
import { DeadlineQueue } from './deadlines'
import { answerHead, isHead } from './head'

export const DEFAULT_CHANNEL_TIMEOUT_MS = 10 * 60_000
export const DEFAULT_MAX_QUEUE_BYTES = 1024 * 1024

const toErrorData = (error: ErrorData | Error): ErrorData => {
  if (!(error instanceof Error)) return error
  const code = error instanceof ChannelError ? error.code : ErrorCode.Internal
  return { code, message: error.message, retriable: false }
}

export function createChannelRegistry(options: ChannelRegistryOptions = {}): ChannelRegistry {
  const ownsBus = options.bus === undefined
  const bus = options.bus ?? createMemoryBus({ ...options.replay, earlySendTtlMs: options.earlySendTtlMs })
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS
  const log = options.logger
  const batcher = createWriteBatcher()
  const channels = new Map<string, LocalChannel>()
  const counters = { eventsSent: 0, deliveries: 0, replays: 0, drops: 0, timeouts: 0 }
  let connections = 0
  let nextSubscriberId = 1
  let heartbeat: NodeJS.Timeout | null = null

  function fireEnd(key: string, end: ChannelEnd, hooks: readonly ChannelCallbacks[]): void {
    const targets = [options, ...hooks]
    const call = (fn: () => void): void => {
      try {
        fn()
      } catch (err) {
        log?.error({ key, err }, 'channel callback threw')
      }
    }
    if (end.event === 'error') for (const t of targets) call(() => t.onError?.(key, end.data))
    if (end.event === 'done' && end.data.reason === 'timeout')
      for (const t of targets) call(() => t.onTimeout?.(key))
    for (const t of targets) call(() => t.onCompletion?.(key, end))
  }

  /** The deadline passed: end the channel with `done {reason:"timeout"}`. */
  function timedOut(channel: LocalChannel): void {
    endChannel(channel.key, { event: 'done', data: { reason: 'timeout' } }).then(
      (ended) => {
        if (ended) counters.timeouts += 1
      },
      (err: unknown) => log?.error({ key: channel.key, err }, 'could not time the channel out'),
    )
  }

  const context: ChannelContext = {
    bus,
    maxQueueBytes: options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES,
    batcher,
    deadlines: new DeadlineQueue(timedOut),
    logger: log,
    delivered(count) {
      counters.deliveries += count
    },
    left(subscriber: SseSubscriber, reason: LeaveReason) {
      connections -= 1
      if (reason === 'dropped') {
        counters.drops += 1
        log?.warn(
          { key: subscriber.key, subscriber: subscriber.id },
          'dropped a subscriber that does not drain',
        )
      } else {
        log?.debug({ key: subscriber.key, subscriber: subscriber.id, reason }, 'subscriber left')
      }
      if (connections === 0 && heartbeat) {
        clearInterval(heartbeat)
        heartbeat = null
      }
    },
    ended(channel, end) {
      log?.info({ key: channel.key, end: end.event, data: end.data }, 'channel ended')
      fireEnd(channel.key, end, channel.hooks ?? [])
    },
    released(channel) {
      if (channels.get(channel.key) === channel) channels.delete(channel.key)
    },
  }

  function channelFor(key: string): LocalChannel {
    let channel = channels.get(key)
    if (!channel) {
      channel = new LocalChannel(key, context)
      channels.set(key, channel)
    }
    return channel
  }

  function startHeartbeat(): void {
    if (heartbeat || heartbeatMs <= 0) return
    heartbeat = setInterval(() => {
      for (const channel of channels.values()) for (const s of channel.subscribers) s.heartbeat()
    }, heartbeatMs)
    heartbeat.unref()
  }

  async function endChannel(key: string, end: ChannelEnd): Promise<boolean> {
    const local = channels.get(key)
    const outcome = await bus.publish(key, {
      event: end.event,
      data: JSON.stringify(end.data),
      terminal: true,
    })
    if (!outcome.ok) return false
    counters.eventsSent += 1
    // A local channel fires the callbacks when its listener sees the terminal event; without one, here.
    if (!local) {
      log?.info({ key, end: end.event, data: end.data }, 'channel ended')
      fireEnd(key, end, [])
    }
    return true
  }

  const busUnavailable: ErrorData = {
    code: ErrorCode.BusUnavailable,
    message: 'the event bus failed',
    retriable: true,
  }
  const resumeUnavailable: ErrorData = {
    code: ErrorCode.ResumeUnavailable,
    message: 'the events after Last-Event-ID are no longer buffered',
    retriable: false,
  }

  async function replayInto(subscriber: SseSubscriber, channel: LocalChannel, options: ConnectOptions) {
    const afterId = parseLastEventId(options.lastEventId)
    const state = await channel.open(options.timeoutMs ?? timeoutMs)
    if (state.ended && typeof afterId === 'number' && afterId >= state.lastId) return subscriber.endEmpty()
    subscriber.start(retryMs)
    startHeartbeat()
    const outcome =
      afterId === 'invalid' ? ({ kind: 'gap' } as const) : await bus.read(subscriber.key, afterId)
    if (outcome.kind === 'events') counters.replays += subscriber.goLive(outcome.events)
    else if (afterId === null) counters.replays += subscriber.goLive([])
    else {
      log?.info({ key: subscriber.key, lastEventId: options.lastEventId }, 'resume unavailable')
      subscriber.endWith(unsequencedFrame('error', resumeUnavailable), 'unavailable')
    }
  }

  return {
    bus,

    async connect(
      key: string,
      res: ServerResponse,
      connectOptions: ConnectOptions = {},
    ): Promise<Subscriber> {
      assertKey(key)
      if (isHead(res)) {
        answerHead(res)
        return { key, id: nextSubscriberId++, close: () => undefined }
      }
      // Joins before the replay is read, so that nothing published meanwhile slips between the two.
      const channel = channelFor(key)
      const subscriber = new SseSubscriber(key, nextSubscriberId++, res, channel, connectOptions.frame)
      channel.subscribers.add(subscriber)
      connections += 1
      log?.debug({ key, subscriber: subscriber.id }, 'subscribed')
      if (res.destroyed) {
        subscriber.close()
        return subscriber
      }
      try {
        await replayInto(subscriber, channel, connectOptions)
      } catch (err) {
        log?.error({ key, err }, 'could not subscribe')
        subscriber.start(retryMs)
        subscriber.endWith(unsequencedFrame('error', busUnavailable), 'unavailable')
      }
      return subscriber
    },

    async open(key: string, openOptions: OpenOptions = {}): Promise<ChannelState> {
      assertKey(key)
      const channel = channelFor(key)
      const hooks = (channel.hooks ??= [])
      hooks.push(openOptions)
      const state = await channel.open(openOptions.timeoutMs ?? timeoutMs)
      if (state.ended) {
        hooks.splice(hooks.indexOf(openOptions), 1)
        channel.releaseIfIdle()
        throw new ChannelClosedError(key)
      }
      return state
    },

    async send(key: string, event: string, data: unknown): Promise<SendResult> {
      assertKey(key)
      assertSendableEvent(event)
      const outcome = await bus.publish(key, { event, data: JSON.stringify(data) ?? 'null', terminal: false })
      if (!outcome.ok) throw new ChannelClosedError(key)
      counters.eventsSent += 1
      return { id: outcome.id, delivered: outcome.delivered }
    },

    async complete(key, data = {}) {
      assertKey(key)
      return endChannel(key, { event: 'done', data: { reason: 'complete', ...data } })
    },

    async error(key, error) {
      assertKey(key)
      return endChannel(key, { event: 'error', data: toErrorData(error) })
    },

    remove(key: string, subscriber?: Subscriber): void {
      if (subscriber) {
        if (subscriber.key === key) subscriber.close()
        return
      }
      const channel = channels.get(key)
      if (!channel) return
      for (const s of [...channel.subscribers]) s.close()
      channel.release()
    },

    async state(key) {
      assertKey(key)
      return bus.state(key)
    },

    stats(): RegistryStats {
      return { connections, channels: channels.size, ...counters }
    },

    async close(options = {}): Promise<void> {
      const { end } = options
      if (end) await Promise.all([...channels.keys()].map((key) => this.complete(key, end)))
      batcher.drain()
      for (const channel of [...channels.values()]) {
        for (const s of [...channel.subscribers]) s.close()
        channel.release()
      }
      context.deadlines.close()
      if (ownsBus) await bus.close()
    },
  }
}
