import type { RequestHandler } from 'express'
import { ErrorCode } from '@kit/protocol'
import { bearerOf, matchesSecret } from '../auth/publish-secret'
import { HttpError } from './errors'

export function requirePublishSecret(secret: string): RequestHandler {
  return (req, _res, next) => {
    const given = bearerOf(req.headers.authorization)
    if (given === undefined)
      throw new HttpError(401, ErrorCode.Unauthorized, 'missing Authorization: Bearer <publish secret>')
    if (!matchesSecret(given, secret))
      throw new HttpError(401, ErrorCode.Unauthorized, 'wrong publish secret')
    next()
  }
}
