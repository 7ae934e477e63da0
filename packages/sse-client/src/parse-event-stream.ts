import { createParser } from './parser'
import type { ServerSentEvent } from './types'

/** Parses a byte stream (e.g. `response.body`); an incomplete last event is dropped, a parse error thrown. */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const events: ServerSentEvent[] = []
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onError: (error) => {
      throw error
    },
  })
  const reader = body.getReader()
  try {
    for (let read; !(read = await reader.read()).done;) {
      parser.feed(read.value)
      yield* events.splice(0)
    }
  } finally {
    // Frees the connection when the consumer stops early; a no-op once the stream is done.
    await reader.cancel()
  }
}
