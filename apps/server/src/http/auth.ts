import type { RequestHandler } from 'express'
import { ErrorCode } from '@kit/protocol'
import { bearerOf, matchesSecret } from '../auth/publish-secret'
import { KitError } from '../errors'

export function requirePublishSecret(secret: string): RequestHandler {
  return (req, _res, next) => {
    const given = bearerOf(req.headers.authorization)
    if (given === undefined)
      throw new KitError(ErrorCode.Unauthorized, 'missing Authorization: Bearer <publish secret>')
    if (!matchesSecret(given, secret)) throw new KitError(ErrorCode.Unauthorized, 'wrong publish secret')
    next()
  }
}
