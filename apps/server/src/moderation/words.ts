import { createAutomaton, ROOT, type Automaton } from './automaton'
import { createFold, foldText, SEPARATOR, WHITE_SPACE, type Fold } from './fold'
import { hasMarkup, renderedText } from './units'

/** Which words match with whitespace, punctuation and symbols between their letters. */
export type IgnoreSeparators = 'cjk' | 'all' | 'none'

export interface WordListOptions {
  readonly words: readonly string[]
  /**
   * `cjk` (default): words in Chinese, Japanese or Korean script, which are written without spaces, so
   * `敏 感`, `敏。感` match `敏感`; Latin words must be spelled together (`the rapist` is not `therapist`).
   */
  readonly ignoreSeparators?: IgnoreSeparators
  /** Default true: accents are ignored on both sides. */
  readonly ignoreMarks?: boolean
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u

/** One code point of folded text, classified once. */
interface Folded {
  readonly codePoint: number
  readonly space: boolean
  readonly separator: boolean
}

/** A word list ready to match: one automaton for words spelled as written, one for words read across gaps. */
export interface CompiledWords {
  /** A shown character folded, as the automata read it. */
  readonly fold: (char: string) => readonly Folded[]
  /** The word as listed, for a folded form an automaton found. */
  readonly listed: ReadonlyMap<string, string>
  /** Folded text, whitespace runs as one space. */
  readonly exact: Automaton | undefined
  /** Folded text without separators. */
  readonly spaced: Automaton | undefined
  readonly size: number
}

const withoutSeparators = (text: string) =>
  Array.from(text)
    .filter((char) => !SEPARATOR.test(char))
    .join('')
const singleSpaced = (text: string) => text.trim().replace(/\p{White_Space}+/gu, ' ')

/** Past this many distinct characters the memo starts again, so hostile text cannot grow it without end. */
const MEMO_LIMIT = 65_536

/** Folds and classifies each distinct character once. */
function classifier(fold: Fold): (char: string) => readonly Folded[] {
  const memo = new Map<string, readonly Folded[]>()
  return (char) => {
    let steps = memo.get(char)
    if (steps === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear()
      steps = Array.from(fold(char), (folded) => ({
        codePoint: folded.codePointAt(0)!,
        space: WHITE_SPACE.test(folded),
        separator: SEPARATOR.test(folded),
      }))
      memo.set(char, steps)
    }
    return steps
  }
}

export function compileWords(options: WordListOptions): CompiledWords {
  const fold = createFold({ ignoreMarks: options.ignoreMarks ?? true })
  const mode = options.ignoreSeparators ?? 'cjk'
  const exact = new Set<string>()
  const spaced = new Set<string>()
  const listed = new Map<string, string>()
  // A word with Markdown in it (`f*ck`, `c&a`) is also listed as it renders, since answers are matched so.
  const forms = options.words.flatMap((w) => [
    [w, w] as const,
    ...(hasMarkup(w) ? [[w, renderedText(w)] as const] : []),
  ])
  for (const [word, form] of forms) {
    const folded = foldText(fold, form)
    const spacedOut = mode === 'all' || (mode === 'cjk' && CJK.test(folded))
    const key = spacedOut ? withoutSeparators(folded) : singleSpaced(folded)
    // A word that folds to nothing (only invisible characters) would match everywhere.
    if (key === '') continue
    ;(spacedOut ? spaced : exact).add(key)
    if (!listed.has(key)) listed.set(key, word)
  }
  return {
    fold: classifier(fold),
    listed,
    exact: exact.size > 0 ? createAutomaton([...exact]) : undefined,
    spaced: spaced.size > 0 ? createAutomaton([...spaced]) : undefined,
    size: exact.size + spaced.size,
  }
}

/** One automaton's walk over a text, with the source offset of each code point it may still need. */
class Walk {
  private state = ROOT
  private fed = 0
  /** Source offsets of the last `longest` code points fed, by position modulo `longest`. */
  private readonly starts: number[]

  constructor(private readonly automaton: Automaton) {
    this.starts = new Array<number>(automaton.longest)
  }

  feed(codePoint: number, start: number): string | undefined {
    this.starts[this.fed % this.automaton.longest] = start
    this.fed++
    this.state = this.automaton.step(this.state, codePoint)
    return this.automaton.match(this.state)
  }

  /** Where the suffix that may still grow into a match starts; undefined when none may. */
  liveFrom(): number | undefined {
    const depth = this.automaton.depth(this.state)
    return depth === 0 ? undefined : this.starts[(this.fed - depth) % this.automaton.longest]!
  }
}

/**
 * Matches a list against text that arrives one shown character at a time. `safeEnd` is the offset up to
 * which the source text can no longer be part of a match: everything before the shortest tail whose
 * folded form is a proper prefix of a listed word.
 */
export class WordScanner {
  private readonly exact: Walk | undefined
  private readonly spaced: Walk | undefined
  private afterSpace = true
  private scanned = 0

  constructor(private readonly words: CompiledWords) {
    this.exact = words.exact && new Walk(words.exact)
    this.spaced = words.spaced && new Walk(words.spaced)
  }

  /** The word (as listed) this shown character completes, if any. */
  scan(text: string, start: number, end: number): string | undefined {
    this.scanned = end
    let found: string | undefined
    for (const char of text) {
      for (const { codePoint, space, separator } of this.words.fold(char)) {
        if (this.exact) {
          if (!(space && this.afterSpace)) found ??= this.exact.feed(space ? 0x20 : codePoint, start)
          this.afterSpace = space
        }
        if (this.spaced && !separator) found ??= this.spaced.feed(codePoint, start)
      }
    }
    return found === undefined ? undefined : (this.words.listed.get(found) ?? found)
  }

  get safeEnd(): number {
    return Math.min(this.scanned, this.exact?.liveFrom() ?? Infinity, this.spaced?.liveFrom() ?? Infinity)
  }
}
