import type { BusEvent } from '../types'

/**
 * Reads an event as the publish script sends it: `<id>\n<event>\n<data>`. Ids and event names never hold a
 * line break, so the data may hold anything.
 */
export function decodeEvent(message: string): BusEvent | null {
  const afterId = message.indexOf('\n')
  const afterEvent = message.indexOf('\n', afterId + 1)
  if (afterId <= 0 || afterEvent < 0) return null
  const id = Number(message.slice(0, afterId))
  if (!Number.isSafeInteger(id) || id <= 0) return null
  return { id, event: message.slice(afterId + 1, afterEvent), data: message.slice(afterEvent + 1) }
}
