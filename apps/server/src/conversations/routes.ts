import type { Router } from 'express'
import { ErrorCode, type ConversationList } from '@kit/protocol'
import { z } from 'zod'
import type { UserResolver } from '../auth/users'
import type { ChatService } from '../chat/types'
import { KitError } from '../errors'

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `updatedAt` of the last conversation of the previous page. */
  before: z.string().min(1).optional(),
})

const notFound = () => new KitError(ErrorCode.NotFound, 'no such conversation')

/** `GET /api/conversations`, `GET` and `DELETE /api/conversations/:id`: the user's own history only. */
export function conversationRoutes(router: Router, service: ChatService, users: UserResolver): void {
  const { history, sessions } = service.stores

  router.get('/api/conversations', async (req, res) => {
    const user = await users(req, res)
    const { limit, before } = listQuerySchema.parse(req.query)
    const body: ConversationList = {
      conversations: await history.list(user.id, { limit, ...(before ? { before } : {}) }),
    }
    res.json(body)
  })

  router.get('/api/conversations/:id', async (req, res) => {
    const user = await users(req, res)
    // An answer its server stopped saving is shown as interrupted, whatever happened to that server.
    const interruptedBefore = new Date(
      service.clock.now() - service.config.history.interruptedAfterMs,
    ).toISOString()
    const conversation = await history.get(user.id, req.params.id as string, { interruptedBefore })
    if (!conversation) throw notFound()
    res.json(conversation)
  })

  router.delete('/api/conversations/:id', async (req, res) => {
    const user = await users(req, res)
    const id = req.params.id as string
    await sessions.delete(user.id, id)
    if (!(await history.delete(user.id, id))) throw notFound()
    res.status(204).end()
  })
}
