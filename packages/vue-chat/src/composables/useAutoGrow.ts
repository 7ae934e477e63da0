import { watch, type WatchSource } from 'vue'

/** Grows a textarea with its text; cap it with CSS `max-height` (it scrolls past that). */
export function useAutoGrow(
  textarea: WatchSource<HTMLTextAreaElement | null | undefined>,
  value: WatchSource,
): void {
  watch(
    [textarea, value],
    ([el]) => {
      if (!el) return
      el.style.height = 'auto'
      el.style.height = `${el.scrollHeight}px`
    },
    { flush: 'post', immediate: true },
  )
}
