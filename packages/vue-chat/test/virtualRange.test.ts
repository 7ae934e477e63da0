import { describe, expect, it } from 'vitest'
import { itemOffsets, visibleRange } from '../src/utils/virtualRange'

describe('the window of a virtual list', () => {
  const offsets = itemOffsets([100, 50, 200, 100, 100], 10)

  it('places each item after those above it and their gaps', () => {
    expect([...offsets]).toEqual([0, 110, 170, 380, 490, 600])
  })

  it('takes the items that meet the view, and overscan on each side within the list', () => {
    expect(visibleRange(offsets, 0, 100, 0)).toEqual({ start: 0, end: 1 })
    expect(visibleRange(offsets, 120, 100, 0)).toEqual({ start: 1, end: 3 })
    expect(visibleRange(offsets, 120, 100, 1)).toEqual({ start: 0, end: 4 })
    expect(visibleRange(offsets, 500, 1000, 3)).toEqual({ start: 1, end: 5 })
  })

  it('shows the end for a view past it, and nothing for an empty list', () => {
    expect(visibleRange(offsets, 5000, 100, 0)).toEqual({ start: 4, end: 5 })
    expect(visibleRange(offsets, -50, 100, 0)).toEqual({ start: 0, end: 1 })
    expect(visibleRange(itemOffsets([], 10), 0, 100, 2)).toEqual({ start: 0, end: 0 })
  })

  it('finds the window of ten thousand items by search, the same as a scan would', () => {
    const heights = Array.from({ length: 10_000 }, (_, i) => 40 + ((i * 37) % 200))
    const all = itemOffsets(heights, 12)
    for (const top of [0, 12_345, 777_777, (all[10_000] as number) - 600]) {
      const scanStart = heights.findIndex((_, i) => (all[i + 1] as number) > top)
      const firstBelow = heights.findIndex((_, i) => (all[i] as number) > top + 600)
      const scanEnd = firstBelow === -1 ? heights.length : firstBelow
      expect(visibleRange(all, top, 600, 0)).toEqual({ start: scanStart, end: scanEnd })
    }
  })
})
