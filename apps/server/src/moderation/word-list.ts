import type { GuardResult, Moderator, StreamGuard } from './types'
import { plainReader, renderedReader, type UnitReader } from './units'
import { compileWords, WordScanner, type CompiledWords, type WordListOptions } from './words'

/** Finds listed words the way a reader would see them; see `compileWords` for what counts as the same. */
export interface WordListModerator extends Moderator {
  /** Replaces the list. Answers already streaming keep the list they started with. */
  setWords(words: readonly string[]): void
  /** Distinct words after folding. */
  readonly size: number
  /** The first listed word `text` shows (as written or as rendered), if any. */
  find(text: string): string | undefined
}

/**
 * Scans one text as it streams and releases it up to where no later delta can complete a match. The bound
 * on what stays held back: the shortest tail whose shown, folded form is a proper prefix of a listed word
 * (under L characters for a longest word of L, plus separators between them for words matched across
 * gaps), and behind it only what the reader cannot decide yet (see `renderedReader`).
 */
class ScanningGuard {
  private readonly scanner: WordScanner
  private held = ''
  private heldFrom = 0
  private found: string | undefined
  private readonly sink = (text: string, start: number, end: number) => {
    this.found ??= this.scanner.scan(text, start, end)
  }

  constructor(
    words: CompiledWords,
    private readonly reader: UnitReader,
  ) {
    this.scanner = new WordScanner(words)
  }

  push(delta: string): GuardResult {
    this.held += delta
    if (this.found === undefined) this.reader.push(delta, this.sink)
    return this.release(this.scanner.safeEnd)
  }

  flush(): GuardResult {
    if (this.found === undefined) this.reader.end(this.sink)
    return this.release(this.heldFrom + this.held.length)
  }

  private release(upTo: number): GuardResult {
    if (this.found !== undefined) return { blocked: this.found }
    const text = this.held.slice(0, upTo - this.heldFrom)
    this.held = this.held.slice(text.length)
    this.heldFrom = upTo
    return { text }
  }
}

const wholeText = (guard: ScanningGuard, text: string) => {
  const pushed = guard.push(text)
  return 'blocked' in pushed ? pushed : guard.flush()
}

const blockedWord = (result: GuardResult) => ('blocked' in result ? result.blocked : undefined)

/** The kit's sensitive-word check: answers as rendered, prompts both as written and as rendered. */
export function createWordListModerator(options: WordListOptions): WordListModerator {
  let compiled = compileWords(options)
  const find = (text: string) =>
    compiled.size === 0
      ? undefined
      : (blockedWord(wholeText(new ScanningGuard(compiled, plainReader()), text)) ??
        blockedWord(wholeText(new ScanningGuard(compiled, renderedReader()), text)))
  return {
    find,
    checkPrompt: (prompt) => Promise.resolve(find(prompt)),
    stream: (): StreamGuard => {
      const words = compiled
      if (words.size === 0) {
        const pass = (text: string) => Promise.resolve({ text })
        return { push: pass, flush: () => pass('') }
      }
      const guard = new ScanningGuard(words, renderedReader())
      return {
        push: (delta) => Promise.resolve(guard.push(delta)),
        flush: () => Promise.resolve(guard.flush()),
      }
    },
    setWords(words) {
      compiled = compileWords({ ...options, words })
    },
    get size() {
      return compiled.size
    },
  }
}
