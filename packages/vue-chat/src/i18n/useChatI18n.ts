import {
  computed,
  inject,
  provide,
  toValue,
  type ComputedRef,
  type InjectionKey,
  type MaybeRefOrGetter,
} from 'vue'
import { en, type ChatStrings } from './strings'

export interface ChatI18nOptions {
  /** The language's strings: default English (`en`); Simplified Chinese is `zhCN` from `@kit/vue-chat/i18n/zh-CN`. */
  locale?: MaybeRefOrGetter<ChatStrings | undefined>
  /** Overrides for any string. */
  strings?: MaybeRefOrGetter<Partial<ChatStrings> | undefined>
}

const key: InjectionKey<ComputedRef<ChatStrings>> = Symbol('kit-chat-i18n')
const fallback = computed(() => en)

/** Makes these strings the ones every kit component below the caller shows. */
export function provideChatI18n(options: ChatI18nOptions): ComputedRef<ChatStrings> {
  const strings = computed(() => {
    const merged = { ...(toValue(options.locale) ?? en) }
    // An override left undefined (an optional prop) keeps the built-in string.
    for (const [key, value] of Object.entries(toValue(options.strings) ?? {})) {
      if (value !== undefined) merged[key as keyof ChatStrings] = value
    }
    return merged
  })
  provide(key, strings)
  return strings
}

/** The strings in effect: provided by an ancestor (e.g. `<ChatBox locale>`), else English. */
export function useChatI18n(): ComputedRef<ChatStrings> {
  return inject(key, fallback)
}
