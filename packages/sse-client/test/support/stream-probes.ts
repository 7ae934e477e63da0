// Promises for what an EventStream reports, so tests wait for the moment itself instead of sleeping.
import type { EventStream, ServerSentEvent, StreamError, StreamState } from '../../src'
import type { Exchange } from './sse-server'

type AnyStream = EventStream<Record<string, unknown>>

/** Resolves when the stream is in `state`, at once if it is already. */
export const reach = (stream: AnyStream, state: StreamState) =>
  new Promise<void>((resolve) => {
    if (stream.state === state) return resolve()
    const off = stream.onStateChange((next) => next === state && (off(), resolve()))
  })

export const nextTransportError = (stream: AnyStream) =>
  new Promise<StreamError>((resolve) => {
    const off = stream.onTransportError((error) => (off(), resolve(error)))
  })

export const nextEvent = (stream: AnyStream, name: string) =>
  new Promise<{ data: unknown; event: ServerSentEvent }>((resolve) => {
    const off = stream.on(name, (data, event) => (off(), resolve({ data, event })))
  })

/** Every state the stream goes through from now on. */
export const recordStates = (stream: AnyStream) => {
  const states: StreamState[] = []
  stream.onStateChange((state) => states.push(state))
  return states
}

/** Writes `text` to the response and resolves once the stream has dispatched an event named `name`. */
export const deliver = (stream: AnyStream, exchange: Exchange, text: string, name = 'message') => {
  const delivered = nextEvent(stream, name)
  exchange.send(text)
  return delivered
}
