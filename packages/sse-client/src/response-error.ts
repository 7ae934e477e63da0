import { parseRetryAfter } from '@kit/protocol'
import { StreamError } from './stream-error'

// "text/event-stream", with or without parameters (a charset is ignored: event streams are always UTF-8).
const EVENT_STREAM = /^text\/event-stream\s*(;|$)/i

/** Throws why a response cannot be read as an event stream. */
export async function checkResponse(response: Response): Promise<void> {
  const { status, headers, ok } = response
  const type = headers.get('content-type') ?? ''
  if (ok && status != 204 && EVENT_STREAM.test(type)) return
  // Server errors, timeouts and rate limits pass (as network trouble does); anything else, a 2xx included,
  // would fail the same way again.
  const fatal = ok || (status < 500 && status != 408 && status != 429)
  const ms = parseRetryAfter(headers.get('retry-after'))
  throw new StreamError(
    status == 204 ? 'no-content' : ok ? 'content-type' : 'http',
    `HTTP ${status} ${type}`,
    {
      status,
      body: (await response.text()).slice(0, 4096),
      fatal,
      retryInMs: fatal ? undefined : ms,
    },
  )
}
