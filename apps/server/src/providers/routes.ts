import type { Router } from 'express'
import type { ProvidersResponse } from '@kit/protocol'
import type { ChatService } from '../chat/types'

/** `GET /api/providers`: instances, their models and the templates; never a key. */
export function providerRoutes(router: Router, service: ChatService): void {
  router.get('/api/providers', (_req, res) => {
    const body: ProvidersResponse = {
      default: service.providers.defaultName,
      providers: service.providers.info(),
      templates: service.templates.list(),
    }
    res.json(body)
  })
}
