import { toValue, watch, type MaybeRefOrGetter, type WatchSource } from 'vue'

/** Grows a textarea with its text; cap it with CSS `max-height` (it scrolls past that). */
export function useAutoGrow(
  textarea: MaybeRefOrGetter<HTMLTextAreaElement | null | undefined>,
  value: WatchSource,
): void {
  watch(
    [() => toValue(textarea), value],
    ([el]) => {
      if (!el) return
      el.style.height = 'auto'
      el.style.height = `${el.scrollHeight}px`
    },
    { flush: 'post', immediate: true },
  )
}
