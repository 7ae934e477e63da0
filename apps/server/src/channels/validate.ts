import { EventName, isChannelKey, isEventName } from '@kit/protocol'
import { InvalidEventNameError, InvalidKeyError } from './errors'

export function assertKey(key: unknown): asserts key is string {
  if (!isChannelKey(key)) throw new InvalidKeyError(key)
}

/** Application events: any protocol name but the terminal ones, which only `complete`/`error` write. */
export function assertSendableEvent(name: unknown): asserts name is string {
  if (!isEventName(name)) throw new InvalidEventNameError(name)
  if (name === EventName.Done || name === EventName.Error) {
    throw new InvalidEventNameError(name, 'done and error end the channel: use complete() or error()')
  }
}

const DECIMAL_ID = /^\d{1,15}$/

/** A `Last-Event-ID` as a number, null when absent, or 'invalid' when it cannot be one of our ids. */
export function parseLastEventId(value: number | string | null | undefined): number | null | 'invalid' {
  if (value === undefined || value === null || value === '') return null
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : 'invalid'
  return DECIMAL_ID.test(value) ? Number(value) : 'invalid'
}
