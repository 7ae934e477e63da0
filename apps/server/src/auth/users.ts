import { createHash, randomBytes } from 'node:crypto'
import type { Request, Response } from 'express'
import { ErrorCode } from '@kit/protocol'
import { errors as joseErrors, jwtVerify } from 'jose'
import type { AuthConfig } from '../config/chat'
import { HttpError } from '../http/errors'
import { authorize, urlAuthorizer, type AuthorizeUser, type TokenUser } from './authorize'
import { bearerOf, matchesSecret } from './publish-secret'

/** Who a chat, history or usage request is for. */
export interface KitUser {
  /** Key of the user's history, usage and quotas. */
  readonly id: string
  readonly anonymous: boolean
  /** Sees every user's usage and the organisation's figures. */
  readonly admin: boolean
  /** The plan a token's claim (or the login check) names; none for anonymous users. */
  readonly plan?: string | undefined
}

export type UserResolver = (req: Request, res: Response) => Promise<KitUser>

/** Header a non-browser client may use instead of the cookie. */
export const ANONYMOUS_HEADER = 'x-kit-user'
const ANONYMOUS_ID = /^[A-Za-z0-9_-]{16,64}$/
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600

/** Providers get a stable pseudonym, never the user id itself; 32 characters fit Spark's `uid`. */
export const pseudonymOf = (userId: string): string =>
  createHash('sha256').update(userId).digest('hex').slice(0, 32)

/** The backend, authenticated with the publish secret: an operator, not a person. */
export const BACKEND_USER: KitUser = { id: 'backend', anonymous: false, admin: true }

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return decodeURIComponent(value.join('='))
  }
  return undefined
}

const unauthorized = (message: string) => new HttpError(401, ErrorCode.Unauthorized, message)

/** A claim that names something: a non-empty string, or a number (some issuers use numeric user ids). */
function nameIn(claims: Record<string, unknown>, claim: string): string | undefined {
  const value = claims[claim]
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

async function verifyJwt(token: string, auth: AuthConfig & { jwtSecret: string }): Promise<TokenUser> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(auth.jwtSecret), {
      algorithms: ['HS256'],
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
      ...(auth.audience ? { audience: auth.audience } : {}),
    })
    const id = nameIn(payload, auth.claims.userId)
    if (id === undefined) throw unauthorized(`the token names no user (claim ${auth.claims.userId})`)
    return {
      id,
      plan: nameIn(payload, auth.claims.plan),
      admin: payload[auth.claims.admin] === true,
      claims: payload,
    }
  } catch (err) {
    if (err instanceof HttpError) throw err
    const expired = err instanceof joseErrors.JWTExpired
    throw unauthorized(expired ? 'the token has expired' : 'invalid bearer token')
  }
}

const kitUserOf = ({ id, plan, admin }: TokenUser): KitUser => ({ id, anonymous: false, admin, plan })

/**
 * Anonymous mode (the embedded default) gives each browser a random id in a cookie (or `X-Kit-User`) and
 * still honours a valid JWT; JWT mode requires `Authorization: Bearer <HS256 token>`, whose claims name
 * the user, their plan and an administrator (`sub`, `plan` and `admin: true` unless `auth.claims` says
 * otherwise). A token's user passes the login check first: `authorizeUser` when given, else the
 * `auth.authorizeUrl` service when set. The publish secret as bearer is the backend.
 */
export function createUserResolver(
  auth: AuthConfig,
  publishSecret?: string,
  authorizeUser?: AuthorizeUser,
): UserResolver {
  const jwt = auth.jwtSecret === undefined ? undefined : { ...auth, jwtSecret: auth.jwtSecret }
  const check =
    authorizeUser ??
    (auth.authorizeUrl === undefined
      ? undefined
      : urlAuthorizer({ ...auth, authorizeUrl: auth.authorizeUrl }))
  return async (req, res) => {
    const bearer = bearerOf(req.headers.authorization)
    if (bearer !== undefined && publishSecret !== undefined && matchesSecret(bearer, publishSecret)) {
      return BACKEND_USER
    }
    if (bearer !== undefined && jwt) {
      const user = await verifyJwt(bearer, jwt)
      return kitUserOf(check ? await authorize(check, user, req) : user)
    }
    if (auth.mode === 'jwt') throw unauthorized('missing Authorization: Bearer <token>')
    const given = req.get(ANONYMOUS_HEADER) ?? cookieOf(req, auth.cookieName)
    if (given !== undefined && ANONYMOUS_ID.test(given))
      return { id: `anon:${given}`, anonymous: true, admin: false }
    const id = randomBytes(16).toString('base64url')
    res.cookie(auth.cookieName, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: COOKIE_MAX_AGE_SECONDS * 1000,
    })
    return { id: `anon:${id}`, anonymous: true, admin: false }
  }
}
