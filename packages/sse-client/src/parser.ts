// The WHATWG event stream parser: https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
import { StreamError } from './stream-error'
import type { EventStreamParser, ParserOptions } from './types'

const LF = 10
const COLON = 58
const SPACE = 32

export function createParser({
  onEvent,
  onRetry,
  onComment,
  onId,
  onError,
  maxEventBytes = 8 << 20,
}: ParserOptions): EventStreamParser {
  let decoder: TextDecoder
  let started: boolean
  let afterCR: boolean
  let dead: boolean
  // The incomplete last line, in pieces joined once when its end arrives: appending to one string per chunk
  // would copy a 4 MiB line ~3000 times when it comes in 1460-byte chunks.
  let pieces: string[]
  let pending: number
  let data: string | undefined
  let type: string
  // "last event ID buffer" (set by `id:` at once) and "last event ID string" (set only at dispatch).
  let idBuffer = ''
  let lastId = ''

  const tooBig = (size: number) => {
    if (size > maxEventBytes) {
      dead = true
      pieces = []
      data = undefined
      onError?.(new StreamError('parse', `over ${maxEventBytes}`))
    }
  }

  // `value` is the data buffer, or the data of a one-line event that never went through it.
  const dispatch = (value = data) => {
    if (idBuffer !== lastId) onId?.((lastId = idBuffer))
    const name = type
    data = undefined
    type = ''
    // "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty
    // string and return": `undefined` here, since `data:` alone makes a buffer of one LF.
    if (value !== undefined) onEvent({ event: name || 'message', data: value, id: lastId || undefined })
  }

  // One line of any shape: the WHATWG "process the field" steps.
  const field = (text: string, start: number, end: number) => {
    let colon = start
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++
    // "If value starts with a U+0020 SPACE character, remove it from value": one space, never a tab.
    const value =
      colon < end ? text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1, end) : ''
    if (colon === start) return onComment?.(value)
    // Field names are compared literally: `Data` is an unknown field, and unknown fields are ignored.
    switch (text.slice(start, colon)) {
      case 'data':
        data = data === undefined ? value : data + '\n' + value
        return tooBig(pending + data.length)
      case 'event':
        type = value
        return
      case 'id':
        if (!value.includes('\0')) idBuffer = value
        return
      case 'retry':
        if (/^\d+$/.test(value)) onRetry?.(+value)
    }
  }

  // Handles text[start, end) and returns where the next line starts.
  const line = (text: string, start: number, end: number) => {
    if (pending) {
      pieces.push(text.slice(start, end))
      const whole = pieces.join('')
      pieces.length = pending = 0
      field(whole, 0, whole.length)
    } else if (start === end) dispatch()
    else field(text, start, end)
    return end + 1
  }

  // The usual chunk has no CR: one indexOf per line, and the usual event (one `data:` line, then a blank
  // line) dispatched straight from the chunk.
  const lfLines = (text: string, at: number) => {
    for (let lf; !dead && (lf = text.indexOf('\n', at)) >= 0; )
      if (
        data === undefined &&
        !pending &&
        text.charCodeAt(lf + 1) === LF &&
        text.charCodeAt(at) === 100 &&
        text.charCodeAt(at + 1) === 97 &&
        text.charCodeAt(at + 2) === 116 &&
        text.charCodeAt(at + 3) === 97 &&
        text.charCodeAt(at + 4) === COLON &&
        lf - at <= maxEventBytes
      ) {
        dispatch(text.slice(text.charCodeAt(at + 5) === SPACE ? at + 6 : at + 5, lf))
        at = lf + 2
      } else at = line(text, at, lf)
    return at
  }

  // Lines end with CRLF, LF or CR. Each indexOf is redone only once its hit is behind us, so the scan
  // stays linear in the chunk.
  const anyLines = (text: string, at: number) => {
    for (let lf = -2, cr = -2, end; !dead; ) {
      if (lf < at && lf !== -1) lf = text.indexOf('\n', at)
      if (cr < at && cr !== -1) cr = text.indexOf('\r', at)
      end = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr
      if (end < 0) break
      at = line(text, at, end)
      if (end === cr) {
        // A CR ends its line at once; an LF right after it, even in the next chunk, completes that CRLF.
        if (at === text.length) afterCR = true
        else if (text.charCodeAt(at) === LF) at++
      }
    }
    return at
  }

  const feed = (chunk: string | Uint8Array) => {
    if (dead) return
    const text = typeof chunk == 'string' ? chunk : decoder.decode(chunk, { stream: true })
    const length = text.length
    if (!length) return
    let at = 0
    // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present": at the very start only.
    if (!started) {
      started = true
      if (text.charCodeAt(0) === 0xfeff) at = 1
    }
    if (afterCR) {
      afterCR = false
      if (text.charCodeAt(at) === LF) at++
    }
    at = text.includes('\r', at) ? anyLines(text, at) : lfLines(text, at)
    if (at < length && !dead) {
      pieces.push(at ? text.slice(at) : text)
      pending += length - at
      tooBig(pending + (data?.length ?? 0))
    }
  }

  const reset = () => {
    decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    started = afterCR = dead = false
    pieces = []
    pending = 0
    data = undefined
    type = ''
    idBuffer = lastId
  }

  reset()
  return { feed, reset }
}
