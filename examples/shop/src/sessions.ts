import { randomBytes } from 'node:crypto'
import type { Request, RequestHandler, Response } from 'express'

export interface ShopUser {
  readonly id: string
}

/**
 * The shop's own sign-in, standing for whatever an existing app already has (passport, JWT, a session
 * store): the kit never sees how it works, only whether a request's user may watch a channel.
 */
export interface Sessions {
  /** Signs `userId` in; the result goes into the session cookie. */
  open(userId: string): string
  /** Reads the session cookie (or `X-Shop-Session`, for scripts) and remembers the user for this request. */
  readonly authenticate: RequestHandler
  /** Runs `handler` with the request's user; answers 401 when nobody is signed in. */
  signedIn(handler: (req: Request, res: Response, user: ShopUser) => void): RequestHandler
  userOf(req: Request): ShopUser | undefined
}

export const SESSION_COOKIE = 'shop_session'

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value = ''] = part.trim().split('=')
    if (key === name) return decodeURIComponent(value)
  }
  return undefined
}

export function createSessions(): Sessions {
  const users = new Map<string, ShopUser>()
  const signedIn = new WeakMap<Request, ShopUser>()
  return {
    open(userId) {
      const session = randomBytes(18).toString('base64url')
      users.set(session, { id: userId })
      return session
    },
    authenticate(req, _res, next) {
      const session = req.get('x-shop-session') ?? cookie(req, SESSION_COOKIE)
      const user = session === undefined ? undefined : users.get(session)
      if (user) signedIn.set(req, user)
      next()
    },
    signedIn: (handler) => (req, res) => {
      const user = signedIn.get(req)
      if (user) handler(req, res, user)
      else res.status(401).json({ error: 'sign in first' })
    },
    userOf: (req) => signedIn.get(req),
  }
}
