import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'

const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS'
const DEFAULT_HEADERS = 'Authorization, Content-Type, Last-Event-ID'

/** Sets the CORS headers of a request; true when it was a preflight, which is then answered. */
export type Cors = (req: IncomingMessage, res: ServerResponse) => boolean

function varyOnOrigin(res: ServerResponse): void {
  const vary = res.getHeader('Vary')
  if (vary === undefined) res.setHeader('Vary', 'Origin')
  else if (!/(^|,)\s*origin\s*(,|$)/i.test(String(vary))) res.setHeader('Vary', `${String(vary)}, Origin`)
}

/**
 * CORS for an allow-list of origins (`*` allows any). Credentials are allowed for listed origins, so an
 * `EventSource` with `withCredentials` works; an origin not listed gets no CORS headers and the browser
 * blocks the answer. A preflight from an allowed origin may send the headers it asks for: the origin is
 * trusted, and route modules (chat's user id header, say) need no list kept here.
 * Plain node:http, so that the Express-free event-stream path shares it.
 */
export function createCors(origins: readonly string[]): Cors {
  const any = origins.includes('*')
  const listed = new Set(origins)
  return (req, res) => {
    const origin = req.headers.origin
    if (origin === undefined) return false
    varyOnOrigin(res)
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
    const allowed = any || listed.has(origin)
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin)
      if (!any) res.setHeader('Access-Control-Allow-Credentials', 'true')
    }
    if (!preflight) return false
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
      res.setHeader(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ?? DEFAULT_HEADERS,
      )
      res.setHeader('Access-Control-Max-Age', '600')
    }
    res.writeHead(204).end()
    return true
  }
}

export const corsMiddleware =
  (cors: Cors): RequestHandler =>
  (req, res, next) => {
    if (!cors(req, res)) next()
  }
