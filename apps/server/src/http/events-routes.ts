import type { Request } from 'express'
import { ErrorCode } from '@kit/protocol'
import { channelErrorRequestSchema, publishRequestSchema, tokenRequestSchema } from '@kit/protocol/schemas'
import { checkSubscribeToken } from './auth'
import { HttpError } from './errors'
import type { KitRouterOptions, KitRoutes } from './types'

type Authorize = KitRouterOptions['authorizeSubscribe']

const lastEventIdOf = (req: Request): string | null => {
  const header = req.headers['last-event-id']
  if (typeof header === 'string') return header
  // Polyfills that cannot set headers on a reconnect pass it in the query.
  const query = req.query.lastEventId
  return typeof query === 'string' ? query : null
}

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

    router.get('/api/events/:key', async (req, res) => {
      const key = req.params.key as string
      if (!authorize) checkSubscribeToken(req, key, tokens.verify)
      else if (!(await authorize(req, key)))
        throw new HttpError(403, ErrorCode.Forbidden, 'not allowed to subscribe')
      await registry.connect(key, res, { lastEventId: lastEventIdOf(req) })
    })

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
