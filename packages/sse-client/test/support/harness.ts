// Per-test set-up of the event stream tests: a fresh server, and streams that are closed after the test
// whatever its outcome, so a failed test leaves nothing reconnecting into the next one.
import { afterEach, beforeEach } from 'vitest'
import { createEventStream, type EventStream, type EventStreamOptions } from '../../src'
import { startSseServer, type SseServer } from './sse-server'

export function useSseServer() {
  const streams: EventStream<Record<string, unknown>>[] = []
  const harness = {
    server: undefined as unknown as SseServer,
    /** A stream on `path` of the test server. */
    open<E extends Record<string, unknown> = Record<string, unknown>>(
      path: string,
      options?: EventStreamOptions,
    ) {
      const stream = createEventStream<E>(harness.server.url + path, options)
      streams.push(stream as unknown as EventStream<Record<string, unknown>>)
      return stream
    },
  }
  beforeEach(async () => {
    harness.server = await startSseServer()
  })
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close()
    await harness.server.close()
  })
  return harness
}
