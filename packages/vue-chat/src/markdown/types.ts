/**
 * Syntax highlighting for code blocks, pluggable so the main bundle carries none.
 * `@kit/vue-chat/highlight` ships one adapter (highlight.js, loaded on first use).
 */
export interface Highlighter {
  /** Highlighted, escaped HTML of `code`; undefined when `language` is unknown or not loaded yet. */
  highlight(code: string, language: string): string | undefined
  /** Loads what `language` needs; resolves true when a later `highlight` can colour it. */
  load?(language: string): Promise<boolean>
}

export interface MarkdownOptions {
  /**
   * Load images from model output. Off by default: a remote image can track the reader, so images are
   * shown as links instead.
   */
  allowImages?: boolean
  /** Turn bare URLs into links. Default true. */
  linkify?: boolean
  highlighter?: Highlighter
  /** Text and accessible name of the copy button on code blocks. Default 'Copy' / 'Copy code'. */
  copyText?: string
  copyLabel?: string
  /** Called when a code block's language could be highlighted once loaded (see `Highlighter.load`). */
  onMissingLanguage?: (language: string) => void
}

/** What the incremental renderer shows: finished blocks (append-only) and the open tail block. */
export interface StreamingHtml {
  /** HTML of finished blocks. Only ever grows, unless `epoch` changed. */
  readonly blocks: readonly string[]
  /** HTML of the open tail block, re-rendered on every update. */
  readonly tail: string
  /** Changes when the renderer restarted (the source was replaced, not extended). */
  readonly epoch: number
}
