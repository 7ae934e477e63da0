/** Runs `fn` before the next paint; where there is no requestAnimationFrame (SSR, Node) on the next macrotask. */
export function requestFrame(fn: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame(fn)
    return () => cancelAnimationFrame(handle)
  }
  const handle = setTimeout(fn, 16)
  return () => clearTimeout(handle)
}
