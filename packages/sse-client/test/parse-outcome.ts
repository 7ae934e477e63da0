import { createParser } from '../src/parser'
import type { ServerSentEvent } from '../src/types'
import type { ConformanceCase } from './conformance-cases'

/** What a parser made of a whole stream: the comparison unit of the conformance tests. */
export interface Outcome {
  events: ServerSentEvent[]
  retries: number[]
  lastEventId: string
}

export const expectedOutcome = (c: ConformanceCase): Outcome => ({
  events: c.events,
  retries: c.retries ?? [],
  lastEventId: c.lastEventId ?? '',
})

export function parseAll(chunks: Array<string | Uint8Array>): Outcome {
  const outcome: Outcome = { events: [], retries: [], lastEventId: '' }
  const parser = createParser({
    onEvent: (event) => outcome.events.push(event),
    onRetry: (ms) => outcome.retries.push(ms),
    onId: (id) => (outcome.lastEventId = id),
  })
  for (const chunk of chunks) parser.feed(chunk)
  return outcome
}

/** The events alone, from a parser given no callback but onEvent (ids must not depend on onId). */
export function parseEvents(chunks: Array<string | Uint8Array>): ServerSentEvent[] {
  const events: ServerSentEvent[] = []
  const parser = createParser({ onEvent: (event) => events.push(event) })
  for (const chunk of chunks) parser.feed(chunk)
  return events
}
