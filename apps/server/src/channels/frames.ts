import type { BusEvent } from '../bus/types'

/** The text of one SSE event. Data is JSON text, which never holds a raw line break, so one `data:` line. */
export const eventFrame = (e: BusEvent): string => `id: ${e.id}\nevent: ${e.event}\ndata: ${e.data}\n\n`

/** An event outside the channel's sequence (no `id:`), so the client's `Last-Event-ID` stays put. */
export const unsequencedFrame = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

export const retryFrame = (ms: number): string => `retry: ${ms}\n\n`

export const PING_FRAME = ': ping\n\n'
