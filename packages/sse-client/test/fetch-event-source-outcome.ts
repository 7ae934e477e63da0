// Runs the parser of @microsoft/fetch-event-source (its exported getLines/getMessages, exactly what its
// fetchEventSource uses) and reports the same Outcome as parseAll, so the two can be compared case by case.
import { getLines, getMessages } from '@microsoft/fetch-event-source/lib/esm/parse.js'
import type { Outcome } from './parse-outcome'

export function parseAllWithFetchEventSource(chunks: Uint8Array[]): Outcome {
  const outcome: Outcome = { events: [], retries: [], lastEventId: '' }
  const onChunk = getLines(
    getMessages(
      // fetchEventSource stores this id as the Last-Event-ID header of the next request, at once.
      (id) => (outcome.lastEventId = id),
      (ms) => outcome.retries.push(ms),
      (m) => outcome.events.push({ event: m.event || 'message', data: m.data, id: m.id || undefined }),
    ),
  )
  for (const chunk of chunks) onChunk(chunk)
  return outcome
}
