import { ErrorCode, type ErrorData } from '@kit/protocol'
import type { Bus } from '../bus/types'
import type { ChannelRegistry } from '../channels/types'
import type { Logger } from '../logging/logger'
import type { ChatStores } from '../storage/types'
import type { DatabaseSettings } from './config'
import { openLiveState, type LiveStateOptions } from './live-state'
import { openRecordStores } from './record-stores'

/** The parts of the server configuration the scale-out engines read. */
export interface ScaleOutSettings extends Pick<LiveStateOptions, 'redis' | 'channels'> {
  readonly database: DatabaseSettings
  readonly chat: {
    readonly sessions: { readonly idleMinutes?: number | undefined }
    readonly storage: { readonly path: string }
  }
}

export interface ScaleOut {
  /** The Redis bus; undefined keeps the registry's in-memory bus. */
  readonly bus: Bus | undefined
  /** Chat stores on Redis and/or PostgreSQL; undefined keeps the embedded defaults. */
  readonly chatStores: ChatStores | undefined
  /** Lets the engines act on the registry: an answer whose generating instance died ends with an error. */
  attach(registry: ChannelRegistry): void
  /** Closes the stores and connections; after the router and the registry. */
  close(): Promise<void>
}

const generatorLost: ErrorData = {
  code: ErrorCode.GeneratorLost,
  message: 'the server generating this answer stopped before it finished; ask again',
  retriable: true,
}

const EMBEDDED: ScaleOut = {
  bus: undefined,
  chatStores: undefined,
  attach: () => undefined,
  close: async () => undefined,
}

/**
 * Connects to what REDIS_URL and DATABASE_URL name, failing the start with a clear message when one does
 * not answer. With neither set the server keeps its embedded defaults.
 */
export async function openScaleOut(settings: ScaleOutSettings, logger: Logger): Promise<ScaleOut> {
  const { redis, database, channels, chat } = settings
  if (!redis.url && !database.url) return EMBEDDED
  const idleMinutes = chat.sessions.idleMinutes
  let registry: ChannelRegistry | undefined
  const records = await openRecordStores(database, chat.storage.path, logger)
  const live = await openLiveState({
    redis,
    channels,
    idleMs: idleMinutes === undefined ? undefined : idleMinutes * 60_000,
    logger,
    onGeneratorLost(streamId) {
      registry?.error(streamId, generatorLost).catch((err: unknown) => {
        logger.error({ err, streamId }, 'could not end an answer whose generator was lost')
      })
    },
  }).catch(async (err: unknown) => {
    await records.close()
    throw err
  })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await live.close()
      await records.close()
    })())
  const { history, usage } = records
  const { sessions, streams, limits } = live
  const quotas = live.quotas ?? records.quotas
  return {
    bus: live.bus,
    chatStores: { history, usage, sessions, quotas, streams, ...(limits ? { limits } : {}), close },
    attach(target) {
      registry = target
    },
    close,
  }
}
