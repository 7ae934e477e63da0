// The DOM-free Markdown core, usable without Vue (a worker, SSR, a benchmark): `@kit/vue-chat/markdown`.
export { createSafeMarkdown } from './safeMarkdown'
export { createIncrementalMarkdown, type IncrementalMarkdown } from './incremental'
export { repairTail } from './repairTail'
export type { Highlighter, MarkdownOptions, StreamingHtml } from './types'
