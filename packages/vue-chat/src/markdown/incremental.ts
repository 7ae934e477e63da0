import type MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import { repairTail } from './repairTail'
import type { StreamingHtml } from './types'

/** Blocks that nothing after their last line can change. */
const FINISHED_WHEN_COMPLETE = new Set(['heading_open', 'hr'])
/**
 * Blocks that a blank line ends for good. Not lists (the next item may follow the gap) nor indented
 * code (it continues across blank lines); an unclosed fence runs to the end, so it is never followed
 * by anything.
 */
const FINISHED_AFTER_GAP = new Set(['paragraph_open', 'fence', 'table_open', 'blockquote_open'])

export interface IncrementalMarkdown {
  /**
   * Renders `source`, which normally extends the previous one. Finished blocks are rendered once and
   * kept; only the open tail block is rendered again. A source that does not extend the previous one
   * restarts the renderer (and changes `epoch`).
   */
  update(source: string): StreamingHtml
  /** Renders `source` in full, exactly as `md.render` would, and restarts. */
  finish(source: string): string
  /** How many characters of the last source are in finished blocks. */
  readonly committed: number
}

/**
 * Streaming Markdown in time proportional to the open block, not to the answer. DOM-free, so it can
 * be benchmarked and tested in Node.
 *
 * Only complete lines are parsed for block boundaries, since a line still being typed can change
 * what came before it (`para\n#` is a heading until the next character makes it `para\n#x`). A block
 * counts as finished once a later block has started, or earlier when its kind cannot change any more
 * (a heading, a paragraph after a blank line).
 */
export function createIncrementalMarkdown(md: MarkdownIt): IncrementalMarkdown {
  let blocks: string[] = []
  let env: object = {}
  let committed = 0
  let scanned = 0
  let seen = ''
  let epoch = 0

  function restart(): void {
    blocks = []
    env = {}
    committed = 0
    scanned = 0
    seen = ''
    epoch++
  }

  function commitFinishedBlocks(source: string, lineEnd: number): void {
    const region = source.slice(committed, lineEnd)
    const tokens: Token[] = []
    md.block.parse(region, md, env, tokens)
    let last: Token | undefined
    for (const token of tokens) if (token.level === 0 && token.nesting !== -1 && token.map) last = token
    if (!last) return
    const [start, end] = last.map!
    const lines = region.split('\n').length - 1
    const lastIsFinished =
      FINISHED_WHEN_COMPLETE.has(last.type) || (FINISHED_AFTER_GAP.has(last.type) && end < lines)
    const length = lastIsFinished ? region.length : lineOffset(region, start)
    if (length === 0) return
    blocks.push(md.render(region.slice(0, length), env))
    committed += length
  }

  return {
    get committed() {
      return committed
    },
    update(source) {
      const extendsSeen =
        source.length >= seen.length && source.slice(committed, seen.length) === seen.slice(committed)
      if (!extendsSeen) restart()
      seen = source
      const lineEnd = source.lastIndexOf('\n') + 1
      if (lineEnd > scanned) {
        scanned = lineEnd
        commitFinishedBlocks(source, lineEnd)
      }
      const tail = source.slice(committed)
      return { blocks, tail: tail ? md.render(repairTail(tail), env) : '', epoch }
    },
    finish(source) {
      restart()
      return md.render(source)
    },
  }
}

/** Offset of line `line` (0-based) in `text`, counting lines as markdown-it does. */
function lineOffset(text: string, line: number): number {
  let offset = 0
  for (let n = 0; n < line; n++) offset = text.indexOf('\n', offset) + 1
  return offset
}
