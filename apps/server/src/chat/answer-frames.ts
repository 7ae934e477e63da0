import { EventName, type MessageDelta } from '@kit/protocol'
import type { BusEvent } from '../bus/types'
import type { FrameFormat } from '../channels/types'

/** How `message` events carry an answer's text: the protocol's JSON, or the bare delta. */
export type PayloadFormat = 'json' | 'text'

/** Separates the stream id from the sequence number in the ids of a stream that names its answer. */
const ID_SEPARATOR = ':'
const ANSWER_EVENT_ID = /^([A-Za-z0-9_-]{1,128}):(\d{1,15})$/

/** An SSE field per line of `text`; the client joins them with LF, so a CR or CRLF in it arrives as LF. */
const dataLines = (text: string): string =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')

/**
 * Frames of an answer for one subscriber. `streamId` puts the answer in every event id
 * (`<streamId>:<seq>`), so the `Last-Event-ID` of a reconnect tells which answer to resume even when the
 * URL does not. `text` sends each delta of choice 0 as plain data, for code written against servers that
 * pushed plain strings; other choices are left out, and every other event keeps its JSON.
 */
export function answerFrames(streamId: string | undefined, payload: PayloadFormat): FrameFormat {
  const idOf = (seq: number) => (streamId === undefined ? String(seq) : `${streamId}${ID_SEPARATOR}${seq}`)
  return (event: BusEvent) => {
    const head = `id: ${idOf(event.id)}\nevent: ${event.event}\n`
    if (payload === 'json' || event.event !== EventName.Message) return `${head}data: ${event.data}\n\n`
    const { delta, choice } = JSON.parse(event.data) as MessageDelta
    return choice === 0 ? `${head}${dataLines(delta)}\n` : ''
  }
}

/** The answer and sequence number of an id written by `answerFrames` with a stream id. */
export function parseAnswerEventId(id: string): { streamId: string; seq: number } | undefined {
  const match = ANSWER_EVENT_ID.exec(id)
  return match ? { streamId: match[1] as string, seq: Number(match[2]) } : undefined
}
