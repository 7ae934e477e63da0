// A reference model of https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation,
// written from the spec's steps as plainly as they read, over a whole stream at once: the property test holds
// the streaming parser to it under every chunking.
import type { ServerSentEvent } from '../src/types'

export interface ModelOutcome {
  events: ServerSentEvent[]
  retries: number[]
  comments: string[]
  lastEventId: string
}

export function interpret(bytes: Uint8Array): ModelOutcome {
  // "Streams must be decoded using the UTF-8 decode algorithm": replacement characters for bad bytes, one
  // leading BOM dropped.
  const text = new TextDecoder('utf-8').decode(bytes)
  const outcome: ModelOutcome = { events: [], retries: [], comments: [], lastEventId: '' }
  let data = ''
  let type = ''
  let idBuffer = ''

  const dispatch = () => {
    // 1. "Set the last event ID string of the event source to the value of the last event ID buffer."
    outcome.lastEventId = idBuffer
    // 2. "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty
    // string and return."
    if (data === '') {
      type = ''
      return
    }
    // 3. "If the data buffer's last character is a U+000A LINE FEED (LF) character, then remove the last
    // character from the data buffer."
    if (data.endsWith('\n')) data = data.slice(0, -1)
    outcome.events.push({
      event: type === '' ? 'message' : type,
      data,
      id: outcome.lastEventId === '' ? undefined : outcome.lastEventId,
    })
    data = ''
    type = ''
  }

  const field = (name: string, value: string) => {
    if (name === 'event') type = value
    else if (name === 'data') data += `${value}\n`
    else if (name === 'id') {
      if (!value.includes('\0')) idBuffer = value
    } else if (name === 'retry') {
      if (/^[0-9]+$/.test(value)) outcome.retries.push(Number(value))
    }
    // "Otherwise: the field is ignored."
  }

  // Lines end with CRLF, LF or CR; the text after the last line end is an incomplete line, and "once the end
  // of the file is reached, any pending data must be discarded".
  const lines = text.split(/\r\n|\n|\r/)
  lines.pop()
  for (const line of lines) {
    if (line === '') dispatch()
    else if (line.startsWith(':')) {
      const comment = line.slice(1)
      outcome.comments.push(comment.startsWith(' ') ? comment.slice(1) : comment)
    } else if (line.includes(':')) {
      const colon = line.indexOf(':')
      const value = line.slice(colon + 1)
      field(line.slice(0, colon), value.startsWith(' ') ? value.slice(1) : value)
    } else field(line, '')
  }
  return outcome
}
