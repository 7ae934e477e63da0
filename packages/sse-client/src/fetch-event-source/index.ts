export { fetchEventSource, EventStreamContentType } from './fetch-event-source'
export type { EventSourceMessage, FetchEventSourceInit } from './types'
