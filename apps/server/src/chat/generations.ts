import type { ServerResponse } from 'node:http'
import { ChannelClosedError } from '../channels/errors'
import type { ChannelRegistry, FrameFormat } from '../channels/types'
import type { Logger } from '../logging/logger'
import type { StreamControl } from '../storage/types'
import { undeliveredEventOf } from './errors'
import type { ChatService, PreparedAnswer } from './types'

export interface GenerationOptions {
  readonly registry: ChannelRegistry
  readonly service: ChatService
  readonly logger: Logger
  /** How long an answer goes on after its last listener left. */
  readonly graceMs: number
  /** How long a finished stream's owner is remembered, to authorise a late resume. */
  readonly retainMs: number
  /** This server instance, recorded as the generator of its streams. */
  readonly instanceId: string
}

/** Answers being generated on this instance, each published to its channel (key = stream id). */
export interface Generations {
  start(answer: PreparedAnswer): Promise<void>
  /**
   * Streams the answer's channel to `res` after `lastEventId`, in the standard frames or `frame`'s; a
   * listener while `res` is open.
   */
  attach(
    streamId: string,
    res: ServerResponse,
    lastEventId: number | string | null,
    frame?: FrameFormat,
  ): Promise<void>
  stats(): GenerationStats
  /** Aborts every answer (each ends with `done` `aborted`) and waits for them. */
  close(): Promise<void>
}

export interface GenerationStats {
  /** Answers being generated on this instance now. */
  readonly active: number
  /** Answers ended here, by how they ended. */
  readonly completed: number
  readonly stopped: number
  readonly failed: number
}

export function createGenerations(options: GenerationOptions): Generations {
  const { registry, service, logger } = options
  const streams = service.stores.streams
  const running = new Map<string, { controller: AbortController; finished: Promise<void> }>()
  const ended = { completed: 0, stopped: 0, failed: 0 }

  /** Publishes each event; a channel that ended under it (its lifetime ran out) stops the generation. */
  async function publish(answer: PreparedAnswer, controller: AbortController): Promise<void> {
    const { streamId } = answer
    for await (const { event, data } of service.run(answer, controller.signal)) {
      if (event === 'done') ended[data.reason === 'aborted' ? 'stopped' : 'completed']++
      if (event === 'error') ended.failed++
      try {
        if (event === 'done') await registry.complete(streamId, data)
        else if (event === 'error') await registry.error(streamId, data)
        else await registry.send(streamId, event, data)
      } catch (err) {
        if (!(err instanceof ChannelClosedError)) throw err
        controller.abort()
      }
    }
  }

  return {
    async start(answer) {
      const { streamId, userId, conversationId, messageId } = answer
      await streams.begin(streamId, { userId, conversationId, messageId, instanceId: options.instanceId })
      const controller = new AbortController()
      await registry.open(streamId, { onCompletion: () => controller.abort() })
      let grace: NodeJS.Timeout | undefined
      const onControl = (control: StreamControl) => {
        clearTimeout(grace)
        if (control === 'stop') controller.abort()
        else if (control === 'unwatched') grace = setTimeout(() => controller.abort(), options.graceMs)
      }
      const unlisten = await streams.listen(streamId, onControl)
      const finished = (async () => {
        try {
          await publish(answer, controller)
        } catch (err) {
          logger.error({ err, streamId }, 'could not publish the answer')
          // Without a terminal event its subscribers would wait for the channel's deadline.
          await registry
            .error(streamId, undeliveredEventOf(err))
            .catch((failure: unknown) =>
              logger.error({ err: failure, streamId }, 'could not end the answer after a failed publish'),
            )
        } finally {
          clearTimeout(grace)
          running.delete(streamId)
          await Promise.all([unlisten(), streams.end(streamId, options.retainMs)]).catch((err: unknown) =>
            logger.error({ err, streamId }, 'could not release the stream'),
          )
        }
      })()
      running.set(streamId, { controller, finished })
    },

    async attach(streamId, res, lastEventId, frame) {
      await streams.watch(streamId)
      // A client already gone never fires 'close' again: it must not count as a listener.
      if (res.closed) return streams.unwatch(streamId)
      res.once('close', () => {
        streams
          .unwatch(streamId)
          .catch((err: unknown) => logger.error({ err, streamId }, 'could not count a listener out'))
      })
      await registry.connect(streamId, res, { lastEventId, ...(frame ? { frame } : {}) })
    },

    stats: () => ({ active: running.size, ...ended }),

    async close() {
      const all = [...running.values()]
      for (const { controller } of all) controller.abort()
      await Promise.all(all.map((generation) => generation.finished))
    },
  }
}
