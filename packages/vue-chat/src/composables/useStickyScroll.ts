import { ref, toValue, watch, type MaybeRefOrGetter, type Ref, type WatchSource } from 'vue'

export interface UseStickyScrollOptions {
  /** Within this many pixels of the bottom counts as "at the bottom". Default 64. */
  threshold?: number
  /** The element whose growth should keep the view at the bottom (observed with ResizeObserver). */
  content?: MaybeRefOrGetter<HTMLElement | null | undefined>
  /** Also follow when this changes (e.g. the message count), after the DOM is patched. */
  trigger?: WatchSource
}

export interface UseStickyScrollReturn {
  /** True while the view follows new content. */
  stuck: Ref<boolean>
  scrollToBottom: () => void
}

/**
 * Keeps a scroll container at the bottom while content grows, lets go as soon as the reader scrolls
 * up, and sticks again when they come back down (or call `scrollToBottom`).
 */
export function useStickyScroll(
  target: MaybeRefOrGetter<HTMLElement | null | undefined>,
  options: UseStickyScrollOptions = {},
): UseStickyScrollReturn {
  const { threshold = 64 } = options
  const stuck = ref(true)
  let lastTop = 0

  function scrollToBottom(): void {
    const el = toValue(target)
    stuck.value = true
    if (!el) return
    el.scrollTop = el.scrollHeight
    lastTop = el.scrollTop
  }

  function follow(): void {
    if (stuck.value) scrollToBottom()
  }

  function onScroll(this: HTMLElement): void {
    const top = this.scrollTop
    const away = this.scrollHeight - top - this.clientHeight > threshold
    // Only a move up lets go: content growing under a pinned view also leaves it "away" for a moment.
    if (top < lastTop && away) stuck.value = false
    else if (!away) stuck.value = true
    lastTop = top
  }

  // Watchers stop with the caller's scope, which removes the listener and the observer with them.
  watch(
    () => toValue(target),
    (el, _, onCleanup) => {
      if (!el) return
      el.addEventListener('scroll', onScroll, { passive: true })
      onCleanup(() => el.removeEventListener('scroll', onScroll))
    },
    { immediate: true },
  )
  watch(
    () => toValue(options.content),
    (el, _, onCleanup) => {
      if (!el || typeof ResizeObserver === 'undefined') return
      const observer = new ResizeObserver(follow)
      observer.observe(el)
      onCleanup(() => observer.disconnect())
    },
    { immediate: true },
  )
  if (options.trigger) watch(options.trigger, follow, { flush: 'post' })
  return { stuck, scrollToBottom }
}
