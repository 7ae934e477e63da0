import type { ServerResponse } from 'node:http'
import { SSE_HEADERS } from '@kit/protocol'

/**
 * Whether `res` answers a HEAD, which wants the headers a GET gets and nothing else. Node sends no body for
 * it, while a subscriber writes its frames to the socket itself: they would land outside HTTP, and the
 * connection's next request would wait behind a response that never ends.
 */
export const isHead = (res: ServerResponse): boolean => res.req.method === 'HEAD'

/** Answers a HEAD on a stream route: the stream's headers, no body, no subscription. */
export function answerHead(res: ServerResponse): void {
  res.writeHead(200, SSE_HEADERS).end()
}
