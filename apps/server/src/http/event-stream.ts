import type { IncomingMessage, ServerResponse } from 'node:http'
import { ErrorCode } from '@kit/protocol'
import { bearerOf } from '../auth/publish-secret'
import type { TokenCheck } from '../auth/tokens'
import type { ChannelRegistry } from '../channels/types'
import { assertKey } from '../channels/validate'
import { KitError } from '../errors'
import { sendError, toKitError } from './errors'

export interface EventStreamDeps<R extends IncomingMessage> {
  readonly registry: ChannelRegistry
  readonly verifyToken: (token: string, key: string) => TokenCheck
  /** Replaces the token check when the application decides who subscribes itself. */
  readonly authorize?: (req: R, key: string) => boolean | Promise<boolean>
}

const REJECTIONS: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  malformed: 'malformed subscribe token',
  forged: 'invalid subscribe token for this key',
  expired: 'subscribe token expired',
}

function checkToken(
  req: IncomingMessage,
  query: URLSearchParams,
  key: string,
  verify: EventStreamDeps<never>['verifyToken'],
) {
  // EventSource cannot set headers, so browsers send the token in the query.
  const token = query.get('token') || bearerOf(req.headers.authorization)
  if (!token) {
    throw new KitError(ErrorCode.Unauthorized, 'missing subscribe token (?token= or Authorization: Bearer)')
  }
  const check = verify(token, key)
  if (!check.ok) throw new KitError(ErrorCode.Unauthorized, REJECTIONS[check.reason])
}

/**
 * When a client leaves, Node destroys every request whose response is still open with an `aborted` error
 * and formats that error's stack (through source maps when they are on): some 10 KB of garbage per
 * subscriber leaving, whose scavenges were most of the time-to-first-event tail. A GET's body is empty:
 * read to its end and destroyed at once, the request is already done when the client leaves, and
 * destroying an ended request leaves its socket and response alone.
 */
function settleRequest(req: IncomingMessage): void {
  req.once('end', () => req.destroy())
  req.resume()
}

/**
 * `GET /api/events/:key` in plain node:http terms: it runs both as an Express route and ahead of Express
 * (see `KitRouter.handleEventStream`), where a long-lived stream does not pay Express's per-request cost.
 * Client errors are answered as JSON; others are thrown.
 */
export async function serveEventStream<R extends IncomingMessage>(
  req: R,
  res: ServerResponse,
  key: string,
  { registry, verifyToken, authorize }: EventStreamDeps<R>,
): Promise<void> {
  try {
    assertKey(key)
    const url = req.url ?? ''
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '')
    if (!authorize) checkToken(req, query, key, verifyToken)
    else if (!(await authorize(req, key))) throw new KitError(ErrorCode.Forbidden, 'not allowed to subscribe')
    const header = req.headers['last-event-id']
    // Polyfills that cannot set headers on a reconnect pass it in the query.
    const lastEventId = typeof header === 'string' ? header : query.get('lastEventId')
    await registry.connect(key, res, { lastEventId })
    if (res.headersSent && !res.writableEnded) settleRequest(req)
  } catch (err) {
    const known = toKitError(err)
    if (!known) throw err
    if (!res.headersSent) sendError(res, known)
  }
}

const EVENT_STREAM_PATH = /^\/api\/events\/([^/?]+)(?:\?|$)/

/**
 * The decoded key when `req` is `GET /api/events/:key`; null when the segment does not decode; undefined
 * for any other request.
 */
export function eventStreamKeyOf(req: IncomingMessage): string | null | undefined {
  const raw = req.method === 'GET' ? EVENT_STREAM_PATH.exec(req.url ?? '')?.[1] : undefined
  if (raw === undefined) return undefined
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}
