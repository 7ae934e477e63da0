import type { IncomingMessage, ServerResponse } from 'node:http'
import express, { Router } from 'express'
import { ErrorCode } from '@kit/protocol'
import { pino } from 'pino'
import { mintSubscribeToken, verifySubscribeToken } from '../auth/tokens'
import { createChannelRegistry } from '../channels/registry'
import { assertKey } from '../channels/validate'
import { demoPaymentRoutes } from '../demo/payments'
import { requirePublishSecret } from './auth'
import { defaultRoutes } from './default-routes'
import { KitError } from '../errors'
import { errorHandler, internalError, notFound, sendError } from './errors'
import { eventStreamKeyOf, serveEventStream } from './event-stream'
import { eventsRoutes } from './events-routes'
import { refuseDeepJson } from './json-depth'
import { kitMetrics } from './kit-metrics'
import { createMetrics } from './metrics'
import { operatorRoutes } from './operator-routes'
import { corsMiddleware, createCors } from './cors'
import type { KitRouteContext, KitRouter, KitRouterOptions, KitRoutes } from './types'

const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024
const DEFAULT_MAX_JSON_DEPTH = 64
const DEFAULT_TOKEN_TTL_SECONDS = 300
const DEFAULT_DEMO_STEP_MS = 1_500

/** Every route of the kit (docs/protocol.md, "HTTP API") as one Express router, mountable under any prefix. */
export function createKitRouter(options: KitRouterOptions): KitRouter {
  const logger = options.logger ?? pino({ level: 'silent' })
  const registry = options.registry ?? createChannelRegistry({ logger })
  const metrics = createMetrics()
  metrics.add(...kitMetrics(registry))
  const cleanups: (() => void | Promise<void>)[] = []
  const tokenTtl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS
  const secret = { secret: options.tokenSecret }

  const context: KitRouteContext = {
    registry,
    logger,
    metrics,
    json: express.json({
      limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      verify: refuseDeepJson(options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH),
    }),
    requirePublishSecret: requirePublishSecret(options.publishSecret),
    tokens: {
      mint: (key, ttlSeconds = tokenTtl) => mintSubscribeToken(key, ttlSeconds, secret),
      verify: (token, key) => verifySubscribeToken(token, key, secret),
    },
    onClose: (cleanup) => void cleanups.push(cleanup),
  }

  const modules: KitRoutes[] = [
    ...(options.operatorRoutes === false ? [] : [operatorRoutes]),
    eventsRoutes(options.authorizeSubscribe),
    ...(options.demo === false
      ? []
      : [demoPaymentRoutes({ stepMs: options.demo?.stepMs ?? DEFAULT_DEMO_STEP_MS })]),
    ...(options.routes ?? defaultRoutes(options)),
  ]

  const cors = createCors(options.corsOrigins ?? [])
  const router = Router()
  router.use(corsMiddleware(cors))
  router.param('key', (_req, _res, next, key: string) => {
    assertKey(key)
    next()
  })
  for (const mount of modules) mount(router, context)
  router.use('/api', notFound)
  router.use(errorHandler(logger))

  function handleEventStream(req: IncomingMessage, res: ServerResponse): boolean {
    const key = eventStreamKeyOf(req)
    if (key === undefined || options.authorizeSubscribe) return false
    cors(req, res)
    if (key === null)
      sendError(res, new KitError(ErrorCode.BadRequest, 'the key in the path does not decode'))
    else {
      serveEventStream(req, res, key, { registry, verifyToken: context.tokens.verify }).catch(
        (err: unknown) => {
          logger.error({ err }, 'event stream failed')
          if (!res.headersSent) sendError(res, internalError())
        },
      )
    }
    return true
  }

  return Object.assign(router, {
    registry,
    metrics,
    mintSubscribeToken: context.tokens.mint,
    handleEventStream,
    async close() {
      for (const cleanup of cleanups.splice(0)) await cleanup()
      if (!options.registry) await registry.close()
    },
  })
}
