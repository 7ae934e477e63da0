import type { Redis } from 'ioredis'
import type { Logger } from '../logging/logger'

export type MessageHandler = (message: string) => void

export interface PubSub {
  /**
   * Listens to a Redis pub/sub channel. Resolves once Redis confirmed the subscription, or at once while
   * Redis is unreachable: the subscription is then made when the link comes back (see `onResume`).
   */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>
  /** The link to Redis dropped: what is published until `onResume` never arrives here. */
  onInterrupt(listener: () => void): () => void
  /** The link is back and every channel is subscribed again. */
  onResume(listener: () => void): () => void
  /** Stops listening and closes the connection it was given. */
  close(): Promise<void>
}

interface Entry {
  readonly handlers: Set<MessageHandler>
  readonly ready: Promise<void>
}

// SUBSCRIBE takes many channels at once; batches keep each command and its reply reasonably small.
const RESUBSCRIBE_BATCH = 1000

/** Every pub/sub channel of one server instance over one dedicated connection. */
export function createPubSub(client: Redis, logger?: Logger): PubSub {
  const entries = new Map<string, Entry>()
  const interruptListeners = new Set<() => void>()
  const resumeListeners = new Set<() => void>()
  let interrupted = false
  let closed = false

  const notify = (listeners: Set<() => void>, what: string): void => {
    for (const listener of [...listeners]) {
      try {
        listener()
      } catch (err) {
        logger?.error({ err }, `a redis ${what} listener threw`)
      }
    }
  }

  const onMessage = (channel: string, message: string): void => {
    const entry = entries.get(channel)
    if (!entry) return
    for (const handler of [...entry.handlers]) {
      try {
        handler(message)
      } catch (err) {
        logger?.error({ err, channel }, 'a redis message handler threw')
      }
    }
  }

  const onClose = (): void => {
    if (closed || interrupted) return
    interrupted = true
    logger?.warn('lost the redis pub/sub link; subscribers are told to reconnect')
    notify(interruptListeners, 'interrupt')
  }

  // Stays interrupted until every channel is subscribed again: a link that drops meanwhile comes back here.
  const onReady = (): void => {
    if (closed || !interrupted) return
    void (async () => {
      const channels = [...entries.keys()]
      for (let at = 0; at < channels.length; at += RESUBSCRIBE_BATCH) {
        await client.subscribe(...channels.slice(at, at + RESUBSCRIBE_BATCH))
      }
      if (closed || !interrupted || client.status !== 'ready') return
      interrupted = false
      notify(resumeListeners, 'resume')
    })().catch((err: unknown) =>
      logger?.warn({ err }, 'could not subscribe again; waiting for the next link'),
    )
  }

  client.on('message', onMessage)
  client.on('close', onClose)
  client.on('ready', onReady)

  const listen =
    (listeners: Set<() => void>) =>
    (listener: () => void): (() => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }

  return {
    async subscribe(channel, handler) {
      let entry = entries.get(channel)
      if (!entry) {
        // A failure means the link is down; `onReady` subscribes every entry again when it is back.
        const ready = client.subscribe(channel).then(
          () => undefined,
          () => undefined,
        )
        entry = { handlers: new Set(), ready }
        entries.set(channel, entry)
      }
      const own = entry
      own.handlers.add(handler)
      await own.ready
      return async () => {
        if (!own.handlers.delete(handler) || own.handlers.size > 0 || entries.get(channel) !== own) return
        entries.delete(channel)
        await client.unsubscribe(channel).catch(() => undefined)
      }
    },
    onInterrupt: listen(interruptListeners),
    onResume: listen(resumeListeners),
    async close() {
      closed = true
      client.off('message', onMessage)
      client.off('close', onClose)
      client.off('ready', onReady)
      entries.clear()
      await client.quit().catch(() => client.disconnect())
    },
  }
}
