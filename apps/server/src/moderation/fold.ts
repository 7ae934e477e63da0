import { lookAlikeOf } from './confusables'

/** Invisible characters (zero-width spaces and joiners, soft hyphens, bidi controls, variation selectors). */
const IGNORED = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u
const MARK = /\p{M}/u
/** What `ignoreSeparators` skips inside a word. */
export const SEPARATOR = /[\p{White_Space}\p{P}\p{S}]/u
export const WHITE_SPACE = /\p{White_Space}/u
/** Full case folding that `toLowerCase` does not do. */
const CASE_FOLDS: Readonly<Record<string, string>> = { ß: 'ss', ς: 'σ' }

export interface FoldOptions {
  /** Drop combining marks (accents): `café` matches `cafe` and an accent added to a letter changes nothing. */
  readonly ignoreMarks: boolean
}

/** Folds one character (a code point, or the text an entity stands for) to the form words are matched in. */
export type Fold = (char: string) => string

/**
 * Compatibility decomposition (NFKD: full-width and styled letters, ligatures, circled digits become
 * plain ones), lower case with full case folding, look-alikes mapped to Latin, invisible characters and
 * (by policy) combining marks removed. Decomposed rather than composed (NFKC) so that a character's
 * form never depends on the characters after it: text folds one character at a time, as it streams, and
 * Hangul syllables and accented letters still meet their decomposed spellings.
 */
export function createFold(options: FoldOptions): Fold {
  const kept = (char: string) => !IGNORED.test(char) && !(options.ignoreMarks && MARK.test(char))
  return (char) => {
    let out = ''
    for (const part of char.normalize('NFKD')) {
      if (!kept(part)) continue
      for (const lower of part.toLowerCase().normalize('NFKD'))
        if (kept(lower)) out += CASE_FOLDS[lower] ?? lookAlikeOf(lower)
    }
    return out
  }
}

/** A whole word or text, one character at a time, exactly as streamed text is folded. */
export const foldText = (fold: Fold, text: string): string => Array.from(text, fold).join('')
