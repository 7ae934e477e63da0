import { ErrorCode } from '@kit/protocol'
import { errors as joseErrors, jwtVerify } from 'jose'
import type { AuthConfig } from '../config/chat'
import { KitError } from '../errors'
import type { TokenUser } from './authorize'

const unauthorized = (message: string) => new KitError(ErrorCode.Unauthorized, message)

/** A claim that names something: a non-empty string, or a number (some issuers use numeric user ids). */
function nameIn(claims: Record<string, unknown>, claim: string): string | undefined {
  const value = claims[claim]
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * An HS256 signature is 43 base64url characters whose last carries 2 unused bits; a decoder ignores them,
 * so four spellings would verify. Only the one that re-encodes to itself is the token.
 */
function isCanonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1)
  return Buffer.from(signature, 'base64url').toString('base64url') === signature
}

/**
 * Verifies `Authorization: Bearer <jwt>` and reads its user from the configured claims: HS256 with the configured secret, issuer and audience, an `exp`
 * required, an `iat` no further ahead than the clock skew, and a lifetime (from `iat`, or from now without
 * one) no longer than `maxLifetimeSeconds`, so a leaked token cannot be one that lasts for years.
 */
export async function verifyJwt(
  token: string,
  auth: AuthConfig & { readonly jwtSecret: string },
): Promise<TokenUser> {
  if (!isCanonicalSignature(token)) throw unauthorized('invalid bearer token')
  const nowSeconds = Math.floor(Date.now() / 1000)
  const skew = auth.clockSkewSeconds
  let payload
  try {
    ;({ payload } = await jwtVerify(token, new TextEncoder().encode(auth.jwtSecret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: skew,
      currentDate: new Date(nowSeconds * 1000),
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
      ...(auth.audience ? { audience: auth.audience } : {}),
    }))
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw unauthorized('the token has expired')
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'exp' && err.reason === 'missing')
      throw unauthorized('the token has no expiry (exp)')
    throw unauthorized('invalid bearer token')
  }
  const { iat, exp = 0 } = payload
  const id = nameIn(payload, auth.claims.userId)
  if (id === undefined) throw unauthorized(`the token names no user (claim ${auth.claims.userId})`)
  if (iat !== undefined && iat > nowSeconds + skew)
    throw unauthorized('the token is issued in the future (iat)')
  if (exp - Math.min(iat ?? nowSeconds, nowSeconds) > auth.maxLifetimeSeconds)
    throw unauthorized(`the token lives longer than ${auth.maxLifetimeSeconds} s`)
  return {
    id,
    plan: nameIn(payload, auth.claims.plan),
    admin: payload[auth.claims.admin] === true,
    claims: payload,
  }
}
