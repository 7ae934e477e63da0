/**
 * Rewrites the open tail of a streaming answer so that it renders the way it will once finished,
 * instead of flashing raw syntax: unclosed `**bold`, `_em`, `~~del` and `` `code `` are closed, a
 * marker run typed at the very end is held back, a half-typed link shows only its text, and a table
 * appears once its delimiter row has.
 * An open code fence is left alone: it already renders as code.
 */
export function repairTail(src: string): string {
  const from = paragraphStart(src)
  if (from < 0) return src
  // A table's header row shows as text with pipes until its delimiter row arrives: hold it back.
  if (PENDING_TABLE.test(src.slice(from))) return src.slice(0, from)
  return scan(src, from)
}

const PENDING_TABLE = /^ {0,3}\|[^\n]*(?:\n[ \t|:-]*)?$/
const FENCE_LINE = /^[ \t]*(`{3,}|~{3,})(.*)$/
const BLOCK_START = /^ {0,3}(?:[-+*][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|>|\|)/
/** The characters the scanner acts on; it jumps over everything else. */
const SPECIAL = /[\n`\\[\])*_~]/g
const SPACE = /\s/
const PUNCTUATION = /[\p{P}\p{S}]/u

/** Where the last paragraph of `src` starts; -1 inside an open code fence. */
function paragraphStart(src: string): number {
  let fence = ''
  let start = 0
  let lineStart = 0
  while (lineStart <= src.length) {
    const newline = src.indexOf('\n', lineStart)
    const lineEnd = newline < 0 ? src.length : newline
    const line = src.slice(lineStart, lineEnd)
    const match = FENCE_LINE.exec(line)
    if (fence) {
      const closes =
        match && match[1]![0] === fence[0] && match[1]!.length >= fence.length && !match[2]!.trim()
      if (closes) {
        fence = ''
        start = lineEnd + 1
      }
    } else if (match && !(match[1]![0] === '`' && match[2]!.includes('`'))) {
      fence = match[1]!
    } else if (newline >= 0 && !line.trim()) {
      start = lineEnd + 1
    }
    if (newline < 0) break
    lineStart = newline + 1
  }
  return fence ? -1 : Math.min(start, src.length)
}

interface Opener {
  marker: string
  length: number
}

/** Scans the last paragraph from `from`, tracking what is still open, and closes or drops it. */
function scan(src: string, from: number): string {
  let openers: Opener[] = []
  let brackets: number[] = []
  let codeRun = 0
  let codeStart = -1
  /** Set while inside `](…`: where the link's `[` and `]` are. */
  let link: { open: number; close: number } | undefined
  /** A `]` closing the last character, which a `(` may still turn into a link. */
  let endBracket: { open: number; close: number } | undefined
  /** Marker characters at the very end that neither opened nor closed anything yet. */
  let heldBack = 0
  const drop = new Set<number>()
  const dropBracket = (open: number) => {
    drop.add(open)
    if (src[open - 1] === '!') drop.add(open - 1)
  }

  const step = (i: number): number => {
    const c = src[i]!
    endBracket = undefined
    if (c === '\n') {
      if (!codeRun && BLOCK_START.test(src.slice(i + 1, i + 16))) {
        openers = []
        brackets = []
      }
      return i + 1
    }
    if (c === '`') {
      const end = runEnd(src, i)
      if (!codeRun) {
        codeRun = end - i
        codeStart = i
      } else if (end - i === codeRun) {
        codeRun = 0
      }
      return end
    }
    if (codeRun) return i + 1
    if (link) {
      if (c === ')') link = undefined
      return i + 1
    }
    if (c === '\\') return i + 2
    if (c === '[') {
      brackets.push(i)
      return i + 1
    }
    if (c === ']') {
      const open = brackets.pop()
      if (open === undefined) return i + 1
      if (src[i + 1] === '(') {
        link = { open, close: i }
        return i + 2
      }
      if (i + 1 === src.length) endBracket = { open, close: i }
      return i + 1
    }
    if (c === '*' || c === '_' || c === '~') return delimiters(i, c)
    return i + 1
  }

  const delimiters = (i: number, marker: string): number => {
    const end = runEnd(src, i)
    let length = end - i
    if (marker === '~' && length !== 2) return end
    const prev = src[i - 1] ?? '\n'
    const next = src[end]
    const left =
      next !== undefined && !SPACE.test(next) && (!isPunct(next) || SPACE.test(prev) || isPunct(prev))
    const right =
      !SPACE.test(prev) && (next === undefined || !isPunct(prev) || SPACE.test(next) || isPunct(next))
    const intraword = marker === '_'
    const canOpen = left && (!intraword || !right || isPunct(prev))
    const canClose = right && (!intraword || !left || (next !== undefined && isPunct(next)))

    // A closing run is matched against open runs of the same marker; what is left of it may open.
    for (let k = openers.length - 1; canClose && k >= 0 && length > 0; k--) {
      const opener = openers[k]!
      if (opener.marker !== marker) continue
      const used = Math.min(length, opener.length)
      opener.length -= used
      length -= used
      openers.length = opener.length ? k + 1 : k
    }
    if (length > 0 && canOpen) openers.push({ marker, length })
    else if (length > 0 && next === undefined) heldBack = length
    return end
  }

  for (let i = from; i < src.length;) {
    SPECIAL.lastIndex = i
    const next = SPECIAL.exec(src)?.index ?? src.length
    if (next > i) endBracket = undefined
    i = next < src.length ? step(next) : next
  }

  let end = src.length - heldBack
  if (codeRun) {
    if (codeStart + codeRun >= end) end = codeStart
  } else if (link) {
    end = link.close
    dropBracket(link.open)
  } else if (endBracket) {
    dropBracket(endBracket.open)
    drop.add(endBracket.close)
  }
  for (const open of brackets) dropBracket(open)

  let out = ''
  let last = 0
  for (const at of [...drop].filter((at) => at < end).sort((a, b) => a - b)) {
    out += src.slice(last, at)
    last = at + 1
  }
  out += src.slice(last, end)
  if (codeRun && end > codeStart) out += '`'.repeat(codeRun)
  if (!openers.length) return out
  out = out.trimEnd()
  for (let k = openers.length - 1; k >= 0; k--) out += openers[k]!.marker.repeat(openers[k]!.length)
  return out
}

function runEnd(src: string, i: number): number {
  const c = src[i]
  let end = i + 1
  while (src[end] === c) end++
  return end
}

function isPunct(c: string): boolean {
  return PUNCTUATION.test(c)
}
