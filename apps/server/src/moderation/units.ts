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

/**
 * One construct at `text[i]`: what it shows and how many characters it takes, or undefined while more text
 * could still change it. `before` is the character in front of it (from an earlier delta, too).
 */
type Construct = (text: string, i: number, final: boolean, before: string) => Unit | undefined
type Unit = readonly [shown: string, length: number]

/** One code point as it is; the first half of a surrogate pair waits for the second. */
const codePoint: Construct = (text, i, final) => {
  const code = text.charCodeAt(i)
  const length = code >= 0xd800 && code <= 0xdbff && (i + 1 < text.length || !final) ? 2 : 1
  return i + length <= text.length ? [text.slice(i, i + length), length] : undefined
}

/** Reads streamed text construct by construct, keeping an undecided one in front of the next delta. */
function constructReader(constructAt: (char: string) => Construct): UnitReader {
  let pending = ''
  let offset = 0
  let previous = ''
  const read = (final: boolean, sink: UnitSink) => {
    let i = 0
    while (i < pending.length) {
      const unit = constructAt(pending[i]!)(pending, i, final, i > 0 ? pending[i - 1]! : previous)
      if (!unit) break
      sink(unit[0], offset + i, offset + i + unit[1])
      i += unit[1]
    }
    if (i > 0) previous = pending[i - 1]!
    pending = pending.slice(i)
    offset += i
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
export const plainReader = (): UnitReader => constructReader(() => codePoint)

/** What markdown-it (the kit's renderer) decodes: `&name;`, `&#119;`, `&#x77;`. */
const ENTITY = /^&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/
/** Text that more characters can still make an entity. */
const ENTITY_PREFIX = /^&(?:#(?:[xX][0-9a-fA-F]{0,6}|[0-9]{0,7})|[A-Za-z][A-Za-z0-9]{0,31})?$/
const LONGEST_ENTITY = 34
/** CommonMark never reads `_` between two letters or digits as emphasis (`snake_case` stays as written). */
const WORD_CHAR = /[\p{L}\p{N}]/u
/** CommonMark escapes any ASCII punctuation with a backslash. */
const ESCAPABLE = /^[!-/:-@[-`{-~]$/
/** Longest link destination read as one; a longer `](…` counts as text. */
const LONGEST_DESTINATION = 512

const escape: Construct = (text, i, final) => {
  const escaped = text[i + 1]
  if (escaped === undefined) return final ? ['\\', 1] : undefined
  return ESCAPABLE.test(escaped) ? [escaped, 2] : ['\\', 1]
}

const entity: Construct = (text, i, final) => {
  const source = ENTITY.exec(text.slice(i, i + LONGEST_ENTITY))?.[0]
  const decoded = source && decodeHTMLStrict(source)
  if (source && decoded !== source) return [decoded!, source.length]
  const unfinished = !source && text.length - i < LONGEST_ENTITY && ENTITY_PREFIX.test(text.slice(i))
  return unfinished && !final ? undefined : ['&', 1]
}

/** Emphasis, strike-through and code-span markers: the reader sees the text on both sides joined up. */
const marker: Construct = () => ['', 1]

const underscore: Construct = (text, i, final, before) => {
  const after = text[i + 1]
  if (after === undefined && !final) return undefined
  return WORD_CHAR.test(before) && WORD_CHAR.test(after ?? '') ? ['_', 1] : ['', 1]
}

/** `](destination)` of a link or image: only its text shows. Not a link (a space first): `]` alone. */
const linkEnd: Construct = (text, i, final) => {
  if (text[i + 1] !== '(') return text[i + 1] === undefined && !final ? undefined : ['', 1]
  for (let j = i + 2; j < i + LONGEST_DESTINATION && !/\s/.test(text[j] ?? ' '); j++)
    if (text[j] === ')') return ['', j + 1 - i]
  const undecided =
    i + LONGEST_DESTINATION > text.length && !/\s/.test(text.slice(i + 2, i + LONGEST_DESTINATION))
  return undecided && !final ? undefined : ['', 1]
}

const CONSTRUCTS: Readonly<Record<string, Construct>> = {
  '\\': escape,
  '&': entity,
  '*': marker,
  '`': marker,
  '~': marker,
  '[': marker,
  _: underscore,
  ']': linkEnd,
}

/** The text has characters that may render differently from how they are written. */
export const hasMarkup = (text: string): boolean => Array.from(text).some((char) => char in CONSTRUCTS)

/**
 * The text as the chat renders it (Markdown, raw HTML off): entities decoded, backslash escapes resolved,
 * emphasis, code and link markers and link destinations invisible. Markers count as invisible even where
 * Markdown would print them (an unmatched `*`), which can only find more, never less; only `_` inside a
 * word is text, as Markdown has it. Waits only for an unfinished entity (at most 33 characters) or link
 * destination (at most 512), a trailing backslash, `_` or `]`, or the first half of a surrogate pair.
 */
export const renderedReader = (): UnitReader => constructReader((char) => CONSTRUCTS[char] ?? codePoint)

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
