// One <MessageList> over a saved thread; `#all` renders every message (the list before virtualization),
// `#virtual` the default. The page reports when its first frame after mounting has been painted.
import { MessageList, type ChatMessage } from '@kit/vue-chat'
import '@kit/vue-chat/style.css'
import { createApp, h } from 'vue'
import { longThreadSnapshot } from '../../../e2e/src/long-thread'

declare global {
  interface Window {
    openedMs?: number
  }
}

const count = Number(new URLSearchParams(location.search).get('count') ?? 10_000)
const messages = longThreadSnapshot(count).conversations[0]!.messages as ChatMessage[]
const all = location.hash === '#all'
const started = performance.now()
createApp({
  render: () => h(MessageList, { messages, ...(all ? { virtualizeAbove: Infinity } : {}) }),
}).mount('#app')
requestAnimationFrame(() => setTimeout(() => (window.openedMs = performance.now() - started)))
