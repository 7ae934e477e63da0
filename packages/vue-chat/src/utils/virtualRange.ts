/** Where each item starts: `offsets[i]` is the space above item `i`, `offsets[n]` the whole height. */
export function itemOffsets(heights: ArrayLike<number>, gap: number): Float64Array {
  const offsets = new Float64Array(heights.length + 1)
  for (let i = 0; i < heights.length; i++)
    offsets[i + 1] = (offsets[i] as number) + (heights[i] as number) + gap
  return offsets
}

/** The first index whose offset is above `y`, by binary search. */
function indexAt(offsets: Float64Array, y: number): number {
  let low = 0
  let high = offsets.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((offsets[middle] as number) <= y) low = middle
    else high = middle - 1
  }
  return low
}

export interface VirtualRange {
  /** First item rendered. */
  readonly start: number
  /** One past the last item rendered. */
  readonly end: number
}

/**
 * The items that meet the view `[top, top + height)`, plus `overscan` on each side; the last item of an
 * empty list view is clamped so a view past the end still shows the end.
 */
export function visibleRange(
  offsets: Float64Array,
  top: number,
  height: number,
  overscan: number,
): VirtualRange {
  const count = offsets.length - 1
  if (count <= 0) return { start: 0, end: 0 }
  const first = Math.min(indexAt(offsets, Math.max(0, top)), count - 1)
  const last = Math.min(indexAt(offsets, top + height), count - 1)
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) }
}
