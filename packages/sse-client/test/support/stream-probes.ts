// Promises for what an EventStream reports, so tests wait for the moment itself instead of sleeping.
import type { EventStream, ServerSentEvent, StreamError, StreamState } from '../../src'

type Events = Record<string, unknown>

/** Resolves when the stream is in `state`, at once if it is already. */
export const reach = <E extends Events>(stream: EventStream<E>, state: StreamState) =>
  new Promise<void>((resolve) => {
    if (stream.state === state) return resolve()
    const off = stream.onStateChange((next) => next === state && (off(), resolve()))
  })

export const nextTransportError = <E extends Events>(stream: EventStream<E>) =>
  new Promise<StreamError>((resolve) => {
    const off = stream.onTransportError((error) => (off(), resolve(error)))
  })

export const nextEvent = <E extends Events, K extends keyof E & string>(stream: EventStream<E>, name: K) =>
  new Promise<{ data: E[K]; event: ServerSentEvent }>((resolve) => {
    const off = stream.on(name, (data, event) => (off(), resolve({ data, event })))
  })

/** Every state the stream goes through from now on. */
export const recordStates = <E extends Events>(stream: EventStream<E>) => {
  const states: StreamState[] = []
  stream.onStateChange((state) => states.push(state))
  return states
}

/** Writes `text` to the response and resolves once the stream has dispatched an event named `name`. */
export const deliver = <E extends Events, K extends keyof E & string>(
  stream: EventStream<E>,
  exchange: { send(text: string): void },
  text: string,
  name = 'message' as K,
) => {
  const delivered = nextEvent(stream, name)
  exchange.send(text)
  return delivered
}
