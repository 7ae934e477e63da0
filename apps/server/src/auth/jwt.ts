import { ErrorCode } from '@kit/protocol'
import { errors as joseErrors, jwtVerify } from 'jose'
import type { AuthConfig } from '../config/chat'
import { KitError } from '../errors'

/** What a verified bearer token says about its user. */
export interface JwtUser {
  readonly sub: string
  readonly admin: boolean
}

const unauthorized = (message: string) => new KitError(ErrorCode.Unauthorized, message)

/**
 * An HS256 signature is 43 base64url characters whose last carries 2 unused bits; a decoder ignores them,
 * so four spellings would verify. Only the one that re-encodes to itself is the token.
 */
function isCanonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1)
  return Buffer.from(signature, 'base64url').toString('base64url') === signature
}

/**
 * Verifies `Authorization: Bearer <jwt>`: HS256 with the configured secret, issuer and audience, an `exp`
 * required, an `iat` no further ahead than the clock skew, and a lifetime (from `iat`, or from now without
 * one) no longer than `maxLifetimeSeconds`, so a leaked token cannot be one that lasts for years.
 */
export async function verifyJwt(
  token: string,
  auth: AuthConfig & { readonly jwtSecret: string },
): Promise<JwtUser> {
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
  const { sub, iat, exp = 0 } = payload
  if (typeof sub !== 'string' || sub === '') throw unauthorized('the token names no subject (sub)')
  if (iat !== undefined && iat > nowSeconds + skew)
    throw unauthorized('the token is issued in the future (iat)')
  if (exp - Math.min(iat ?? nowSeconds, nowSeconds) > auth.maxLifetimeSeconds)
    throw unauthorized(`the token lives longer than ${auth.maxLifetimeSeconds} s`)
  return { sub, admin: payload.admin === true }
}
