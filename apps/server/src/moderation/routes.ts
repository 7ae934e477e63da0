import type { Router } from 'express'
import { ErrorCode } from '@kit/protocol'
import { KitError } from '../errors'
import type { KitRouteContext } from '../http/types'
import type { ChatService } from '../chat/types'

/** `POST /api/moderation/reload` (publish secret): the words file read again, without a restart. */
export function moderationRoutes(router: Router, context: KitRouteContext, service: ChatService): void {
  router.post('/api/moderation/reload', context.requirePublishSecret, async (_req, res) => {
    const loaded = await service.reloadModeration().catch((err: unknown) => {
      context.logger.error({ err }, 'the moderation words file could not be read; the old list stays')
      throw new KitError(ErrorCode.Internal, 'the words file could not be read; the old list stays')
    })
    res.json(loaded)
  })
}
