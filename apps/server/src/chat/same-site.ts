import type { Request } from 'express'
import { ErrorCode } from '@kit/protocol'
import { HttpError } from '../http/errors'

/** `Sec-Fetch-Site` values of a request the page's own site made, or the user typed. */
const OWN_SITE: ReadonlySet<string> = new Set(['same-origin', 'none'])

/**
 * A GET that starts an answer spends the user's quota, so another site must not be able to make one with
 * the user's cookie (an `<img>`, a link, an EventSource of its own). Browsers say where a request comes
 * from in `Sec-Fetch-Site`, and older ones in `Origin` for every cross-origin EventSource; a request with
 * neither comes from no browser, where no cookie rides along by accident.
 */
export function assertSameOrigin(req: Request): void {
  const site = req.get('sec-fetch-site')
  const origin = req.get('origin')
  const ownOrigin = `${req.protocol}://${req.get('host') ?? ''}`
  const allowed = site !== undefined ? OWN_SITE.has(site) : origin === undefined || origin === ownOrigin
  if (!allowed) {
    throw new HttpError(
      403,
      ErrorCode.Forbidden,
      'an answer can be started with GET from this site only; other sites POST /api/chat with CORS',
    )
  }
}
