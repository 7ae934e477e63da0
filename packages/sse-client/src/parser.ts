// The WHATWG event stream parser: https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
import { StreamError } from './stream-error'
import type { EventStreamParser, ParserOptions } from './types'

// Character codes are written as numbers (10 LF, 13 CR, 32 space, 58 colon; the unrolled prefix tests spell
// `data`, `event`, `id`): esbuild keeps named constants as variables, which cost bytes in the bundle.

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
  // The incomplete last line. Chunks are appended with `+`, which in JS engines makes a rope, not a copy,
  // and only the new chunk is ever searched; the rope is flattened once, when the line ends. So a 4 MiB
  // line in 1460-byte chunks costs one copy, not ~3000.
  let pending: string
  let data: string | undefined
  let type: string
  // "last event ID buffer" (set by `id:` at once) and "last event ID string" (set only at dispatch).
  let idBuffer = ''
  let lastId = ''

  const tooBig = (size: number) => {
    if (size > maxEventBytes) {
      dead = true
      pending = ''
      data = undefined
      onError?.(new StreamError('parse', `over ${maxEventBytes}`))
    }
  }

  // `value` is the data buffer, or the data of a one-line event that skipped it.
  const dispatch = (value = data) => {
    if (idBuffer !== lastId) {
      lastId = idBuffer
      onId?.(lastId)
    }
    const name = type
    data = undefined
    type = ''
    // "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty
    // string and return": `undefined` here, since `data:` alone makes a buffer of one LF.
    if (value !== undefined) onEvent({ event: name || 'message', data: value, id: lastId || undefined })
  }

  const line = (text: string) => {
    if (!text) return dispatch()
    let colon = text.indexOf(':')
    if (colon < 0) colon = text.length
    // "If value starts with a U+0020 SPACE character, remove it from value": one space, never a tab.
    const value = text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1)
    if (!colon) return onComment?.(value)
    // Field names are compared literally: `Data` is an unknown field, and unknown fields are ignored.
    switch (text.slice(0, colon)) {
      case 'data':
        data = data === undefined ? value : data + '\n' + value
        return tooBig(data.length)
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

  const feed = (chunk: string | Uint8Array) => {
    if (dead) return
    let text = typeof chunk == 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (!text) return
    // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present": at the very start only.
    if (!started) {
      started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    // Lines end with CRLF, LF or CR, and a CR ends its line at once: CRLF and CR become LF. An LF that
    // opens this chunk right after a CR that closed the last one is the second half of a CRLF.
    if (afterCR && text.charCodeAt(0) === 10) text = text.slice(1)
    afterCR = text.charCodeAt(text.length - 1) === 13
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n')
    // One indexOf per line; `id:`, `event:` and the usual event (one `data:` line, then a blank line) are
    // handled in place, the rest by `line`.
    let at = 0
    let lf = text.indexOf('\n')
    if (pending && lf >= 0) {
      line(pending + text.slice(0, lf))
      pending = ''
      at = lf + 1
      lf = text.indexOf('\n', at)
    }
    for (; lf >= 0 && !dead; lf = text.indexOf('\n', at)) {
      // Hand-unrolled prefix tests: startsWith is several times slower on strings with non-Latin-1 text.
      if (
        text.charCodeAt(at) === 100 &&
        text.charCodeAt(at + 1) === 97 &&
        text.charCodeAt(at + 2) === 116 &&
        text.charCodeAt(at + 3) === 97 &&
        text.charCodeAt(at + 4) === 58 &&
        text.charCodeAt(lf + 1) === 10 &&
        data === undefined &&
        lf - at <= maxEventBytes
      ) {
        dispatch(text.slice(text.charCodeAt(at + 5) === 32 ? at + 6 : at + 5, lf))
        lf++
      } else if (
        text.charCodeAt(at) === 101 &&
        text.charCodeAt(at + 1) === 118 &&
        text.charCodeAt(at + 2) === 101 &&
        text.charCodeAt(at + 3) === 110 &&
        text.charCodeAt(at + 4) === 116 &&
        text.charCodeAt(at + 5) === 58
      )
        type = text.slice(text.charCodeAt(at + 6) === 32 ? at + 7 : at + 6, lf)
      else if (
        text.charCodeAt(at) === 105 &&
        text.charCodeAt(at + 1) === 100 &&
        text.charCodeAt(at + 2) === 58
      ) {
        const id = text.slice(text.charCodeAt(at + 3) === 32 ? at + 4 : at + 3, lf)
        if (!id.includes('\0')) idBuffer = id
      } else line(text.slice(at, lf))
      at = lf + 1
    }
    if (at < text.length && !dead) {
      pending += text.slice(at)
      tooBig(pending.length + (data?.length ?? 0))
    }
  }

  const reset = () => {
    decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    started = afterCR = dead = false
    pending = ''
    data = undefined
    type = ''
    idBuffer = lastId
  }

  reset()
  return { feed, reset }
}
