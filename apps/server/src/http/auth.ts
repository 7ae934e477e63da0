import type { Request, RequestHandler } from 'express'
import { ErrorCode } from '@kit/protocol'
import type { TokenCheck } from '../auth/tokens'
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

const REJECTIONS: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  malformed: 'malformed subscribe token',
  forged: 'invalid subscribe token for this key',
  expired: 'subscribe token expired',
}

/** The subscribe token of `?token=` or `Authorization: Bearer`; EventSource can only send the former. */
export function subscribeTokenOf(req: Request): string | undefined {
  const query = req.query.token
  return typeof query === 'string' && query !== '' ? query : bearerOf(req.headers.authorization)
}

export function checkSubscribeToken(
  req: Request,
  key: string,
  verify: (token: string, key: string) => TokenCheck,
): void {
  const token = subscribeTokenOf(req)
  if (token === undefined) {
    throw new HttpError(
      401,
      ErrorCode.Unauthorized,
      'missing subscribe token (?token= or Authorization: Bearer)',
    )
  }
  const check = verify(token, key)
  if (!check.ok) throw new HttpError(401, ErrorCode.Unauthorized, REJECTIONS[check.reason])
}
