import { channelErrorRequestSchema, publishRequestSchema, tokenRequestSchema } from '@kit/protocol/schemas'
import { serveEventStream } from './event-stream'
import type { KitRouterOptions, KitRoutes } from './types'

type Authorize = KitRouterOptions['authorizeSubscribe']

/** The keyed channel API: subscribe, publish, end, and mint subscribe tokens. */
export const eventsRoutes =
  (authorize: Authorize): KitRoutes =>
  (router, { registry, json, requirePublishSecret, tokens }) => {
    // Registered before `/api/events/:key`, which would otherwise take `tokens` for a key.
    router.post('/api/events/tokens', requirePublishSecret, json, (req, res) => {
      const { key, ttlSeconds } = tokenRequestSchema.parse(req.body)
      const explicit = (req.body as { ttlSeconds?: unknown }).ttlSeconds !== undefined
      res.status(201).json(tokens.mint(key, explicit ? ttlSeconds : undefined))
    })

    router.get('/api/events/:key', (req, res) =>
      serveEventStream(req, res, req.params.key as string, {
        registry,
        verifyToken: tokens.verify,
        authorize,
      }),
    )

    router.post('/api/events/:key', requirePublishSecret, json, async (req, res) => {
      const { event, data } = publishRequestSchema.parse(req.body)
      res.json(await registry.send(req.params.key as string, event ?? 'message', data))
    })

    router.post('/api/events/:key/complete', requirePublishSecret, async (req, res) => {
      res.json({ ended: await registry.complete(req.params.key as string) })
    })

    router.post('/api/events/:key/error', requirePublishSecret, json, async (req, res) => {
      const error = channelErrorRequestSchema.parse(req.body ?? {})
      res.json({ ended: await registry.error(req.params.key as string, error) })
    })
  }
