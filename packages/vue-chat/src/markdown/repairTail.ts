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
  return new TailScanner(src, from).repair()
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

class TailScanner {
  private openers: Opener[] = []
  private brackets: number[] = []
  private codeRun = 0
  private codeStart = -1
  /** Set while inside `](…`: where the link's `[` and `]` are. */
  private link: { open: number; close: number } | undefined
  /** A `]` closing the last character, which a `(` may still turn into a link. */
  private endBracket: { open: number; close: number } | undefined
  /** Marker characters at the very end that neither opened nor closed anything yet. */
  private heldBack = 0

  constructor(
    private readonly src: string,
    private readonly from: number,
  ) {}

  repair(): string {
    const { src } = this
    for (let i = this.from; i < src.length;) {
      SPECIAL.lastIndex = i
      const next = SPECIAL.exec(src)?.index ?? src.length
      if (next > i) this.endBracket = undefined
      i = next < src.length ? this.step(next) : next
    }

    let end = src.length - this.heldBack
    const drop = new Set<number>()
    if (this.codeRun) {
      if (this.codeStart + this.codeRun >= end) end = this.codeStart
    } else if (this.link) {
      end = this.link.close
      this.dropBracket(drop, this.link.open)
    } else if (this.endBracket) {
      this.dropBracket(drop, this.endBracket.open)
      drop.add(this.endBracket.close)
    }
    for (const open of this.brackets) this.dropBracket(drop, open)

    let out = ''
    let last = 0
    if (drop.size) {
      for (const at of [...drop].filter((at) => at < end).sort((a, b) => a - b)) {
        out += src.slice(last, at)
        last = at + 1
      }
    }
    out += src.slice(last, end)
    if (this.codeRun && end > this.codeStart) out += '`'.repeat(this.codeRun)
    if (this.openers.length === 0) return out
    out = out.trimEnd()
    for (let k = this.openers.length - 1; k >= 0; k--)
      out += this.openers[k]!.marker.repeat(this.openers[k]!.length)
    return out
  }

  private dropBracket(drop: Set<number>, open: number): void {
    drop.add(open)
    if (this.src[open - 1] === '!') drop.add(open - 1)
  }

  private step(i: number): number {
    const { src } = this
    const c = src[i]!
    this.endBracket = undefined
    if (c === '\n') {
      if (!this.codeRun && BLOCK_START.test(src.slice(i + 1, i + 16))) {
        this.openers = []
        this.brackets = []
      }
      return i + 1
    }
    if (c === '`') return this.backticks(i)
    if (this.codeRun) return i + 1
    if (this.link) {
      if (c === ')') this.link = undefined
      return i + 1
    }
    if (c === '\\') return i + 2
    if (c === '[') {
      this.brackets.push(i)
      return i + 1
    }
    if (c === ']') {
      const open = this.brackets.pop()
      if (open === undefined) return i + 1
      if (src[i + 1] === '(') {
        this.link = { open, close: i }
        return i + 2
      }
      if (i + 1 === src.length) this.endBracket = { open, close: i }
      return i + 1
    }
    if (c === '*' || c === '_' || c === '~') return this.delimiters(i, c)
    return i + 1
  }

  private backticks(i: number): number {
    const end = runEnd(this.src, i)
    const length = end - i
    if (!this.codeRun) {
      this.codeRun = length
      this.codeStart = i
    } else if (length === this.codeRun) {
      this.codeRun = 0
    }
    return end
  }

  private delimiters(i: number, marker: string): number {
    const { src } = this
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

    if (canClose) length = this.close(marker, length)
    if (length > 0 && canOpen) this.openers.push({ marker, length })
    else if (length > 0 && next === undefined) this.heldBack = length
    return end
  }

  /** Matches a closing run against open runs of the same marker; returns what is left of it. */
  private close(marker: string, length: number): number {
    const openers = this.openers
    for (let k = openers.length - 1; k >= 0 && length > 0; k--) {
      const opener = openers[k]!
      if (opener.marker !== marker) continue
      const used = Math.min(length, opener.length)
      opener.length -= used
      length -= used
      if (opener.length === 0) openers.splice(k)
      else openers.length = k + 1
    }
    return length
  }
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
