/** A model name, or a prefix ending in `*` (`gpt-4o*`), as quota groups and price tables list them. */
export function matchesModel(pattern: string, model: string): boolean {
  return pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : pattern === model
}

/** The entry whose pattern matches `model` most precisely: the exact name, else the longest prefix. */
export function bestMatch<T>(entries: Iterable<readonly [string, T]>, model: string): T | undefined {
  let best: { length: number; value: T } | undefined
  for (const [pattern, value] of entries) {
    if (!matchesModel(pattern, model)) continue
    const length = pattern.endsWith('*') ? pattern.length - 1 : Infinity
    if (!best || length > best.length) best = { length, value }
  }
  return best?.value
}
