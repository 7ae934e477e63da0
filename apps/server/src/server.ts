import { createServer, type Server } from 'node:http'
import { DoneReason } from '@kit/protocol'
import type { AddressInfo } from 'node:net'
import { createChannelRegistry } from './channels/registry'
import type { ChannelRegistry } from './channels/types'
import { parseConfig } from './config/load'
import type { ServerConfig, ServerConfigInput } from './config/schema'
import { resolveSecrets, type ResolvedConfig } from './config/secrets'
import { createKitApp } from './http/app'
import { createKitRouter } from './http/router'
import { capConnectionsPerIp } from './http/connection-cap'
import { trackConnections } from './http/connections'
import type { KitRouter } from './http/types'
import { createLogger, type Logger } from './logging/logger'
import { openScaleOut } from './scale/open'

const CHECK_TIMEOUTS_EVERY_MS = 1_000

export interface StartServerOptions {
  /** Defaults to a pino logger at `config.log.level` on stdout. */
  readonly logger?: Logger
  /** Missing secrets fail the start in production and are generated otherwise (default: NODE_ENV). */
  readonly production?: boolean
}

export interface RunningServer {
  readonly url: string
  readonly port: number
  readonly server: Server
  readonly router: KitRouter
  readonly registry: ChannelRegistry
  readonly config: ResolvedConfig
  readonly logger: Logger
  /**
   * Ends every answer with `done` `aborted`, and every channel too when no shared bus lets another
   * instance carry it on (with Redis, subscribers are cut without an end and reconnect elsewhere); stops
   * timers, closes the listener and its connections.
   */
  close(): Promise<void>
}

/** Validates the configuration, builds the app and listens; `pnpm start` is a thin user of this. */
export async function startServer(
  input: ServerConfigInput | ServerConfig = {},
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const parsed = parseConfig(input)
  const logger = options.logger ?? createLogger(parsed.log)
  const config = resolveSecrets(parsed, {
    production: options.production ?? process.env.NODE_ENV === 'production',
    onGenerated: (variable, secret) =>
      logger.warn(
        { variable, secret },
        `${variable} is not set: generated one for this run (set it to keep it)`,
      ),
  })
  const { channels } = config
  // Redis and PostgreSQL when configured: fails the start at once when either does not answer.
  const scaleOut = await openScaleOut(config, logger)
  const registry = createChannelRegistry({
    logger,
    bus: scaleOut.bus,
    timeoutMs: channels.timeoutMs,
    heartbeatMs: channels.heartbeatMs,
    retryMs: channels.retryMs,
    earlySendTtlMs: channels.earlySendTtlMs,
    maxQueueBytes: channels.maxQueueBytes,
    replay: channels.replay,
  })
  scaleOut.attach(registry)
  const router = createKitRouter({
    registry,
    logger,
    publishSecret: config.publishSecret,
    tokenSecret: config.tokenSecret,
    corsOrigins: config.cors.origins,
    bodyLimitBytes: config.http.bodyLimitBytes,
    maxJsonDepth: config.http.maxJsonDepth,
    tokenTtlSeconds: config.tokens.defaultTtlSeconds,
    demo: config.demo.enabled && { stepMs: config.demo.stepMs },
    chat: config.chat,
    chatStores: scaleOut.chatStores,
  })
  const app = createKitApp({
    router,
    logger,
    trustProxy: config.http.trustProxy,
    staticDir: config.staticDir,
  })
  const { headersTimeoutMs, requestTimeoutMs, maxConnectionsPerIp } = config.http
  // Event streams bypass Express: an idle stream then costs what it costs on plain node:http.
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node checks both timeouts on this beat (30 s by default, which let trickling sockets live 90 s).
      connectionsCheckingInterval: Math.min(CHECK_TIMEOUTS_EVERY_MS, headersTimeoutMs),
    },
    (req, res) => {
      if (!router.handleEventStream(req, res)) app(req, res)
    },
  )
  const connections = trackConnections(server)
  if (maxConnectionsPerIp > 0) capConnectionsPerIp(server, maxConnectionsPerIp)

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : '127.0.0.1'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  logger.info({ url }, 'listening')

  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      await router.close()
      // Alone (no shared bus), nobody can carry the channels on: they end, as the answers just did.
      await registry.close(scaleOut.bus ? {} : { end: { reason: DoneReason.Aborted } })
      await scaleOut.close()
      await connections.drain(stopped)
    })())

  return { url, port, server, router, registry, config, logger, close }
}
