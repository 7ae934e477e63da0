import { StreamError } from './stream-error'

// "text/event-stream", with or without parameters (a charset is ignored: event streams are always UTF-8).
const EVENT_STREAM = /^text\/event-stream\s*(;|$)/i

/** Why a response cannot be read as an event stream, or undefined when it can. */
export async function responseError(response: Response): Promise<StreamError | undefined> {
  const { status, headers } = response
  const type = headers.get('content-type') ?? ''
  if (status !== 204 && response.ok && EVENT_STREAM.test(type)) return
  const kind = status === 204 ? 'no-content' : response.ok ? 'content-type' : 'http'
  const body = (await response.text().catch(() => '')).slice(0, 4096)
  const error = new StreamError(kind, `HTTP ${status} ${type}`, { status, body })
  // Network trouble, server errors, timeouts and rate limits pass; anything else would fail again the same way.
  error.fatal = kind !== 'http' || !(status >= 500 || status === 408 || status === 429)
  const after = headers.get('retry-after')
  if (after && !error.fatal) {
    const ms = isNaN(+after) ? Date.parse(after) - Date.now() : +after * 1000
    if (ms >= 0) error.retryInMs = ms
  }
  return error
}
