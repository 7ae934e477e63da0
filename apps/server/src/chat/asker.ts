import type { Request, Response } from 'express'
import type { UserResolver } from '../auth/users'
import type { ChatService } from './types'

/** Who asks for an answer, as the quota and the limits see them. */
export interface Asker {
  readonly userId: string
  /** Anonymous users only: their quota and concurrent answers also hold per client address. */
  readonly anonymousIp: string | undefined
}

/**
 * Resolves the user of an answering request and counts it against the request rate limits (per user and
 * per client address, `req.ip` as Express's `trust proxy` setting reads it); throws 429 past them.
 */
export async function askerOf(
  service: ChatService,
  users: UserResolver,
  req: Request,
  res: Response,
): Promise<Asker> {
  const user = await users(req, res)
  await service.limits.admit(user.id, req.ip)
  return { userId: user.id, anonymousIp: user.anonymous ? req.ip : undefined }
}
