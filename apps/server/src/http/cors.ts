import type { RequestHandler } from 'express'

const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS'
const DEFAULT_HEADERS = 'Authorization, Content-Type, Last-Event-ID'

/**
 * CORS for an allow-list of origins (`*` allows any). Credentials are allowed for listed origins, so an
 * `EventSource` with `withCredentials` works; an origin not listed gets no CORS headers and the browser
 * blocks the answer. A preflight from an allowed origin may send the headers it asks for: the origin is
 * trusted, and route modules (chat's user id header, say) need no list kept here.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*')
  const listed = new Set(origins)
  return (req, res, next) => {
    const origin = req.headers.origin
    if (origin === undefined) return next()
    res.vary('Origin')
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
    if (!any && !listed.has(origin)) return preflight ? void res.status(204).end() : next()
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin)
    if (!any) res.setHeader('Access-Control-Allow-Credentials', 'true')
    if (!preflight) return next()
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] ?? DEFAULT_HEADERS,
    )
    res.setHeader('Access-Control-Max-Age', '600')
    res.status(204).end()
  }
}
