import {
  computed,
  onScopeDispose,
  shallowRef,
  toValue,
  triggerRef,
  watch,
  type ComputedRef,
  type MaybeRefOrGetter,
  type Ref,
} from 'vue'
import { requestFrame } from '../utils/frame'
import { itemOffsets, visibleRange } from '../utils/virtualRange'

export interface UseVirtualListOptions<T> {
  readonly items: MaybeRefOrGetter<readonly T[]>
  readonly keyOf: (item: T) => string
  /** The scrolling element. */
  readonly scroller: Ref<HTMLElement | undefined>
  /** The element that holds the items, whose row gap separates them. */
  readonly content: Ref<HTMLElement | undefined>
  /** The view follows the bottom: the window is placed from the end, whatever the scroll position says. */
  readonly pinned: Ref<boolean>
  /** Lists this long or shorter render every item. */
  readonly threshold: MaybeRefOrGetter<number>
  /** Items rendered past each edge of the view: find-in-page and screen readers reach those too. */
  readonly overscan: number
}

export interface VirtualList<T> {
  /** The items to render, with their index in the whole list. */
  readonly window: ComputedRef<readonly { readonly item: T; readonly index: number }[]>
  /** Space the items above and below the window take, in pixels. */
  readonly before: ComputedRef<number>
  readonly after: ComputedRef<number>
  /** Function ref for each rendered item's element: measures it while it is rendered. */
  measure(key: string, el: Element | null): void
}

/** Height assumed for an item not measured yet, until the first one is. */
const FIRST_ESTIMATE_PX = 120
/** View height assumed before the list is laid out (and in SSR): a laptop screen's worth of items. */
const UNKNOWN_VIEW_PX = 900

/**
 * Renders only the items that meet the view (and `overscan` around it) of a long list of items of varying
 * height, measuring each as it renders and estimating the others by the average so far. Work per scroll
 * frame is a binary search; per measured change, one pass over the offsets.
 */
export function useVirtualList<T>(options: UseVirtualListOptions<T>): VirtualList<T> {
  const { keyOf, scroller, content, pinned } = options
  const heights = new Map<string, number>()
  let measuredTotal = 0
  const measuredHeights = shallowRef(heights)
  const view = shallowRef({ top: 0, height: 0 })
  const gap = shallowRef(0)
  const elements = new Map<string, Element>()
  const keys = new WeakMap<Element, string>()

  const list = computed(() => toValue(options.items))
  const virtual = computed(() => list.value.length > toValue(options.threshold))
  const offsets = computed(() => {
    const known = measuredHeights.value
    const estimate = known.size > 0 ? measuredTotal / known.size : FIRST_ESTIMATE_PX
    return itemOffsets(
      list.value.map((item) => known.get(keyOf(item)) ?? estimate),
      gap.value,
    )
  })
  const range = computed(() => {
    const all = offsets.value
    const count = all.length - 1
    if (!virtual.value) return { start: 0, end: count }
    const height = view.value.height || UNKNOWN_VIEW_PX
    const top = pinned.value ? (all[count] as number) - height : view.value.top
    return visibleRange(all, top, height, options.overscan)
  })

  const observer =
    typeof ResizeObserver === 'undefined'
      ? undefined
      : new ResizeObserver((entries) => {
          let changed = false
          for (const entry of entries) {
            const key = keys.get(entry.target)
            const height = entry.borderBoxSize?.[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight
            if (key === undefined || height === 0 || heights.get(key) === height) continue
            measuredTotal += height - (heights.get(key) ?? 0)
            heights.set(key, height)
            changed = true
          }
          if (changed) triggerRef(measuredHeights)
        })

  let cancelFrame: (() => void) | undefined
  const readView = () => {
    cancelFrame = undefined
    const el = scroller.value
    if (el) view.value = { top: el.scrollTop, height: el.clientHeight }
  }
  // One read per frame however many scroll events it has.
  const onScroll = () => {
    cancelFrame ??= requestFrame(readView)
  }
  watch(
    scroller,
    (el, _, onCleanup) => {
      if (!el) return
      readView()
      el.addEventListener('scroll', onScroll, { passive: true })
      const resize = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(readView)
      resize?.observe(el)
      onCleanup(() => {
        el.removeEventListener('scroll', onScroll)
        resize?.disconnect()
      })
    },
    { immediate: true },
  )
  watch(content, (el) => {
    if (el) gap.value = parseFloat(getComputedStyle(el).rowGap) || 0
  })
  onScopeDispose(() => {
    observer?.disconnect()
    cancelFrame?.()
  })

  return {
    window: computed(() => {
      const { start, end } = range.value
      return list.value.slice(start, end).map((item, i) => ({ item, index: start + i }))
    }),
    before: computed(() => offsets.value[range.value.start] as number),
    after: computed(() => {
      const all = offsets.value
      return (all[all.length - 1] as number) - (all[range.value.end] as number)
    }),
    measure(key, el) {
      const current = elements.get(key)
      if (current === el) return
      if (current) observer?.unobserve(current)
      if (!el) {
        elements.delete(key)
        return
      }
      elements.set(key, el)
      keys.set(el, key)
      observer?.observe(el)
    },
  }
}
