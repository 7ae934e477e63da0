import type { Router } from 'express'
import { ErrorCode } from '@kit/protocol'
import { bonusGrantSchema } from '@kit/protocol/schemas'
import { z } from 'zod'
import type { UserResolver } from '../auth/users'
import type { ChatService } from '../chat/types'
import { KitError } from '../errors'
import type { KitRouteContext } from '../http/types'

const quotaQuery = z.object({
  provider: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(128).optional(),
})
const bonusQuery = bonusGrantSchema.pick({ userId: true, model: true })

/** `GET /api/quota` for the caller; `GET`/`POST /api/quotas/bonus` for the backend (publish secret). */
export function quotaRoutes(
  router: Router,
  context: KitRouteContext,
  service: ChatService,
  users: UserResolver,
) {
  router.get('/api/quota', async (req, res) => {
    const user = await users(req, res)
    const { provider: name, model } = quotaQuery.parse(req.query)
    const provider = service.providers.find(name)
    if (!provider) throw new KitError(ErrorCode.UnknownProvider, `no provider instance is named ${name}`)
    res.json(
      await service.quota({
        userId: user.id,
        model: model ?? provider.defaultModel,
        anonymousIp: user.anonymous ? req.ip : undefined,
      }),
    )
  })

  router.get('/api/quotas/bonus', context.requirePublishSecret, async (req, res) => {
    const key = bonusQuery.parse(req.query)
    res.json({ ...key, bonus: await service.stores.quotas.bonus(key) })
  })

  router.post('/api/quotas/bonus', context.requirePublishSecret, context.json, async (req, res) => {
    const grant = bonusGrantSchema.parse(req.body)
    res.json({ userId: grant.userId, model: grant.model, bonus: await service.grantBonus(grant) })
  })
}
