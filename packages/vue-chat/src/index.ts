// Public API of @kit/vue-chat. Styles: `import '@kit/vue-chat/style.css'`; highlighting: `@kit/vue-chat/highlight`;
// Simplified Chinese: `@kit/vue-chat/i18n/zh-CN`.
import type { ChatMessage as ChatMessageData } from './types'

export type { ChatConversation, ChatStatus, MessageStatus, StreamFailure } from './types'
/** A message of a conversation (as a type); the component that shows one (as a value). */
export type ChatMessage = ChatMessageData

export {
  useChatStream,
  type UseChatStreamOptions,
  type UseChatStreamReturn,
} from './composables/useChatStream'
export {
  useEventStream,
  type EventStreamStatus,
  type UseEventStreamOptions,
  type UseEventStreamReturn,
} from './composables/useEventStream'
export {
  useStickyScroll,
  type UseStickyScrollOptions,
  type UseStickyScrollReturn,
} from './composables/useStickyScroll'
export { useProviders, type UseProvidersOptions, type UseProvidersReturn } from './composables/useProviders'
export type { HeadersOption } from './composables/headers'

export { createChatStore, useChatStore, type ChatStore, type ChatStoreOptions } from './store/useChatStore'
export { SCHEMA_VERSION, type ChatSnapshot } from './store/schema'
export type { PersistOptions } from './store/persistence'
export type { RemoteOptions } from './store/remote'

export {
  createIncrementalMarkdown,
  createSafeMarkdown,
  repairTail,
  type Highlighter,
  type IncrementalMarkdown,
  type MarkdownOptions,
  type StreamingHtml,
} from './markdown'

export { en, type ChatStrings } from './i18n/strings'
export { provideChatI18n, useChatI18n, type ChatI18nOptions } from './i18n/useChatI18n'

export { default as ChatBox } from './components/ChatBox.vue'
export { default as ChatComposer } from './components/ChatComposer.vue'
export { default as ChatMessage } from './components/ChatMessage.vue'
export { default as ConversationList } from './components/ConversationList.vue'
export { default as MarkdownContent } from './components/MarkdownContent.vue'
export { default as MessageList } from './components/MessageList.vue'
export { default as ProviderPicker } from './components/ProviderPicker.vue'
export { default as TemplatePicker } from './components/TemplatePicker.vue'
