import type { Request } from 'express'
import type { KitUser } from '../auth/users'
import type { ChatService } from './types'

/** Who asks for an answer, as the quota and the limits see them. */
export interface Asker {
  readonly userId: string
  /** Anonymous users only: their quota and concurrent answers also hold per client address. */
  readonly anonymousIp: string | undefined
}

/**
 * Counts a request that asks for an answer against the request rate limits (per user and per client
 * address, `req.ip` as Express's `trust proxy` setting reads it); throws 429 past them.
 */
export async function askerOf(service: ChatService, user: KitUser, req: Request): Promise<Asker> {
  await service.limits.admit(user.id, req.ip)
  return { userId: user.id, anonymousIp: user.anonymous ? req.ip : undefined }
}
