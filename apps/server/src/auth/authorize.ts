import type { Request } from 'express'
import { ErrorCode } from '@kit/protocol'
import type { AuthConfig } from '../config/chat'
import { HttpError } from '../http/errors'

/** A valid token's user as its claims name them, before the login check. */
export interface TokenUser {
  readonly id: string
  readonly plan: string | undefined
  readonly admin: boolean
  /** Every claim of the token, as verified. */
  readonly claims: Readonly<Record<string, unknown>>
}

/** What a login check answers: let in or not, and the plan to use instead of the token's. */
export type AuthorizeDecision =
  | boolean
  | { readonly allow: boolean; readonly plan?: string | undefined; readonly reason?: string | undefined }

/**
 * The login check: a valid signature says who the user is, this says whether they may use the kit (an
 * unknown or blocked user answers false). Throwing answers 503 `authorizer_unavailable`.
 */
export type AuthorizeUser = (user: TokenUser, req: Request) => AuthorizeDecision | Promise<AuthorizeDecision>

/** The user let in, with the plan the check chose. */
export async function authorize(check: AuthorizeUser, user: TokenUser, req: Request): Promise<TokenUser> {
  let decision: AuthorizeDecision
  try {
    decision = await check(user, req)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw new HttpError(503, ErrorCode.AuthorizerUnavailable, `the login check failed (${why}); try again`)
  }
  const { allow, plan, reason } = typeof decision === 'boolean' ? { allow: decision } : decision
  if (!allow) throw new HttpError(403, ErrorCode.UserRefused, reason ?? 'this user may not use the chat')
  return plan === undefined ? user : { ...user, plan }
}

interface Remembered {
  readonly decision: Promise<AuthorizeDecision>
  readonly until: number
}

/** Most users whose answer is remembered at once; the oldest is forgotten first. */
const MAX_REMEMBERED = 10_000

/**
 * `auth.authorizeUrl`: POSTs `{ userId, plan, claims }` and reads `{ allow, plan?, reason? }` from a 2xx
 * answer; 403 is a refusal, anything else (or no answer in time) is a failure. Each user's answer is
 * reused for `authorizeCacheSeconds`, and concurrent requests of one user share one call.
 */
export function urlAuthorizer(
  auth: Pick<AuthConfig, 'authorizeCacheSeconds' | 'authorizeTimeoutMs'> & { authorizeUrl: string },
  now: () => number = Date.now,
): AuthorizeUser {
  const remembered = new Map<string, Remembered>()
  const ask = async (user: TokenUser): Promise<AuthorizeDecision> => {
    const response = await fetch(auth.authorizeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ userId: user.id, plan: user.plan, claims: user.claims }),
      signal: AbortSignal.timeout(auth.authorizeTimeoutMs),
    })
    if (response.status === 403) return { allow: false, ...(await reasonOf(response)) }
    if (!response.ok) throw new Error(`the login check answered ${response.status}`)
    const body = (await response.json()) as { allow?: unknown; plan?: unknown; reason?: unknown }
    if (typeof body.allow !== 'boolean') throw new Error('the login check answered no boolean "allow"')
    return {
      allow: body.allow,
      ...(typeof body.plan === 'string' ? { plan: body.plan } : {}),
      ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
    }
  }
  return (user) => {
    const known = remembered.get(user.id)
    if (known && known.until > now()) return known.decision
    remembered.delete(user.id)
    const decision = ask(user)
    remembered.set(user.id, { decision, until: now() + auth.authorizeCacheSeconds * 1000 })
    // A failure is not an answer: the next request asks again.
    decision.catch(() => remembered.delete(user.id))
    if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string)
    return decision
  }
}

async function reasonOf(response: Response): Promise<{ reason?: string }> {
  const body = (await response.json().catch(() => ({}))) as { reason?: unknown }
  return typeof body.reason === 'string' ? { reason: body.reason } : {}
}
