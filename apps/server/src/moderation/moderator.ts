/**
 * The sensitive-word check of the source system: a configurable list, matched case-insensitively on the
 * prompt before any provider call and on the answer while it streams.
 */
export interface Moderator {
  /** The first listed word the text contains, if any. */
  find(text: string): string | undefined
  /** A checker for one streamed text. */
  stream(): StreamGuard
}

export type GuardResult = { readonly text: string } | { readonly blocked: string }

/**
 * Holds back the last few characters of a streamed text (one less than the longest word), so a word split
 * across two deltas is still caught before any part of it reaches the client.
 */
export interface StreamGuard {
  push(delta: string): GuardResult
  /** The held-back tail, at the end of the text. */
  flush(): GuardResult
}

export function createModerator(words: readonly string[]): Moderator {
  const lowered = [...new Set(words.map((w) => w.toLowerCase()).filter(Boolean))]
  const hold = Math.max(0, ...lowered.map((w) => w.length - 1))
  const find = (text: string) => {
    const haystack = text.toLowerCase()
    return lowered.find((word) => haystack.includes(word))
  }
  return {
    find,
    stream: () => {
      let pending = ''
      return {
        push: (delta) => {
          pending += delta
          const word = find(pending)
          if (word) return { blocked: word }
          let cut = Math.max(0, pending.length - hold)
          // Never split a surrogate pair between two deltas.
          if (cut > 0 && /[\uD800-\uDBFF]/.test(pending.charAt(cut - 1))) cut--
          const text = pending.slice(0, cut)
          pending = pending.slice(cut)
          return { text }
        },
        flush: () => {
          const word = find(pending)
          const text = pending
          pending = ''
          return word ? { blocked: word } : { text }
        },
      }
    },
  }
}
