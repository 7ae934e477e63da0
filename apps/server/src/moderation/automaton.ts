/**
 * Aho–Corasick over code points: every word of a list found in one pass over the text, in time linear in
 * the text whatever the list's length, and fed one code point at a time so that a match may span any
 * number of deltas. A state is the longest suffix of the text so far that is a prefix of some word; its
 * depth is how many code points that suffix has, which is what streaming must still hold back.
 */
export interface Automaton {
  /** The state after `codePoint`. */
  step(state: number, codePoint: number): number
  /** Code points of the text so far that may still become part of a match. */
  depth(state: number): number
  /** The word that ends at this state (the longest one), if any. */
  match(state: number): string | undefined
  /** Length of the longest word, in code points. */
  readonly longest: number
}

export const ROOT = 0

export function createAutomaton(words: readonly string[]): Automaton {
  const next: Map<number, number>[] = [new Map()]
  const depth: number[] = [0]
  const output: (string | undefined)[] = [undefined]
  const fail: number[] = [ROOT]
  let longest = 0

  for (const word of words) {
    let state = ROOT
    let length = 0
    for (const char of word) {
      const codePoint = char.codePointAt(0)!
      let to = next[state]!.get(codePoint)
      if (to === undefined) {
        to = next.length
        next.push(new Map())
        depth.push(depth[state]! + 1)
        output.push(undefined)
        fail.push(ROOT)
        next[state]!.set(codePoint, to)
      }
      state = to
      length++
    }
    if (length > 0) output[state] ??= word
    longest = Math.max(longest, length)
  }

  const step = (from: number, codePoint: number): number => {
    let state = from
    for (;;) {
      const to = next[state]!.get(codePoint)
      if (to !== undefined) return to
      if (state === ROOT) return ROOT
      state = fail[state]!
    }
  }

  // Breadth first, so that every shorter state's failure link is known before it is needed.
  const queue = [...next[ROOT]!.values()]
  for (let i = 0; i < queue.length; i++) {
    const state = queue[i]!
    for (const [codePoint, to] of next[state]!) {
      fail[to] = step(fail[state]!, codePoint)
      // A word that ends inside a longer one: "ad" in "bad".
      output[to] ??= output[fail[to]!]
      queue.push(to)
    }
  }

  return {
    step,
    depth: (state) => depth[state]!,
    match: (state) => output[state],
    longest,
  }
}
