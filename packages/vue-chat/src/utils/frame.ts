import { isClient } from './env'

/** Runs `fn` before the next paint; without a DOM (SSR, Node) on the next macrotask. */
export function requestFrame(fn: () => void): () => void {
  if (isClient && typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame(fn)
    return () => cancelAnimationFrame(handle)
  }
  const handle = setTimeout(fn, 16)
  return () => clearTimeout(handle)
}
