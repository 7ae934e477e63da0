import { decodeHTMLStrict } from 'entities'

/**
 * Receives the characters a reader sees, each with the span of source text it came from: `[start, end)`
 * offsets from the start of the text. Spans follow each other with no gap; a span that shows nothing
 * (a Markdown emphasis marker) has text ''.
 */
export type UnitSink = (text: string, start: number, end: number) => void

/** Cuts streamed source text into the characters it shows. */
export interface UnitReader {
  push(delta: string, sink: UnitSink): void
  /** No more text: whatever was waiting for more is decided now. */
  end(sink: UnitSink): void
}

/** How many UTF-16 units the code point at `i` takes, or 0 when its second half has not arrived yet. */
function codePointLength(text: string, i: number, final: boolean): number {
  const code = text.charCodeAt(i)
  if (code < 0xd800 || code > 0xdbff) return 1
  if (i + 1 < text.length) return 2
  return final ? 1 : 0
}

/** Reads the text at `offset + i` onwards and returns how many units of `text` it consumed. */
type Scan = (text: string, offset: number, final: boolean, sink: UnitSink) => number

/** Keeps what a scan left unread (an unfinished entity or code point) in front of the next delta. */
function bufferedReader(scan: Scan): UnitReader {
  let pending = ''
  let offset = 0
  const read = (final: boolean, sink: UnitSink) => {
    const used = scan(pending, offset, final, sink)
    pending = pending.slice(used)
    offset += used
  }
  return {
    push: (delta, sink) => {
      pending += delta
      read(false, sink)
    },
    end: (sink) => read(true, sink),
  }
}

/** The text as written: one unit per code point (prompts, which the model reads as they are). */
export const plainReader = (): UnitReader =>
  bufferedReader((text, offset, final, sink) => {
    let i = 0
    while (i < text.length) {
      const length = codePointLength(text, i, final)
      if (length === 0) break
      sink(text.slice(i, i + length), offset + i, offset + i + length)
      i += length
    }
    return i
  })

/** What markdown-it (the kit's renderer) decodes: `&name;`, `&#119;`, `&#x77;`. */
const ENTITY = /^&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/
/** Text that more characters can still make an entity. */
const ENTITY_PREFIX = /^&(?:#(?:[xX][0-9a-fA-F]{0,6}|[0-9]{0,7})|[A-Za-z][A-Za-z0-9]{0,31})?$/
const LONGEST_ENTITY = 34
/** Emphasis, strike-through and code-span markers: the reader sees the text between them joined up. */
const MARKERS = new Set(['*', '_', '`', '~'])
/** CommonMark never reads `_` between two letters or digits as emphasis (`snake_case` stays as written). */
const WORD_CHAR = /[\p{L}\p{N}]/u
/** CommonMark escapes any ASCII punctuation with a backslash. */
const ESCAPABLE = /^[!-/:-@[-`{-~]$/

/**
 * The text as the chat renders it (Markdown, raw HTML off): entities decoded, backslash escapes resolved,
 * emphasis and code markers invisible. Markers count as invisible even where Markdown would print them (an
 * unmatched `*`), which can only find more, never less; only `_` inside a word is text, as Markdown has it.
 * Waits only for an unfinished entity (at most 33 characters), a trailing backslash or `_`, or the first
 * half of a surrogate pair.
 */
export function renderedReader(): UnitReader {
  let previous = ''
  return bufferedReader((text, offset, final, sink) => {
    let i = 0
    for (; i < text.length; previous = text[i - 1]!) {
      const char = text[i]!
      const at = offset + i
      if (char === '\\') {
        if (i + 1 === text.length && !final) break
        const escaped = text[i + 1]
        const shown = escaped !== undefined && ESCAPABLE.test(escaped)
        sink(shown ? escaped : '\\', at, at + (shown ? 2 : 1))
        i += shown ? 2 : 1
        continue
      }
      if (char === '&') {
        const tail = text.slice(i, i + LONGEST_ENTITY)
        const entity = ENTITY.exec(tail)?.[0]
        const decoded = entity && decodeHTMLStrict(entity)
        if (entity && decoded !== entity) {
          sink(decoded!, at, at + entity.length)
          i += entity.length
          continue
        }
        const unfinished = !entity && text.length - i < LONGEST_ENTITY && ENTITY_PREFIX.test(text.slice(i))
        if (unfinished && !final) break
        sink('&', at, at + 1)
        i++
        continue
      }
      if (char === '_' && i + 1 === text.length && !final) break
      if (MARKERS.has(char)) {
        const literal = char === '_' && WORD_CHAR.test(previous) && WORD_CHAR.test(text[i + 1] ?? '')
        sink(literal ? char : '', at, at + 1)
        i++
        continue
      }
      const length = codePointLength(text, i, final)
      if (length === 0) break
      sink(text.slice(i, i + length), at, at + length)
      i += length
    }
    return i
  })
}

/** What a whole text shows once rendered. */
export function renderedText(text: string): string {
  let shown = ''
  const sink: UnitSink = (unit) => {
    shown += unit
  }
  const reader = renderedReader()
  reader.push(text, sink)
  reader.end(sink)
  return shown
}
