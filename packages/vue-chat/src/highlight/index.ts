import type { HLJSApi } from 'highlight.js'
import type { Highlighter } from '../markdown/types'

export type { Highlighter } from '../markdown/types'

export interface HighlightJsOptions {
  /**
   * Loads highlight.js, on the first code block that names a language. Default: its `lib/common`
   * build (about 36 common languages). `() => import('highlight.js')` loads every language.
   */
  load?: () => Promise<HLJSApi | { default: HLJSApi }>
}

/**
 * A highlight.js adapter for `<MarkdownContent :highlighter>` / `<ChatBox :highlighter>`. Nothing is
 * loaded until a code block needs it, so highlight.js stays out of the main bundle. Colours come from
 * the `--kit-hl-*` custom properties of the kit's stylesheet (or any highlight.js theme).
 */
export function createHighlighter(options: HighlightJsOptions = {}): Highlighter {
  const load = options.load ?? (() => import('highlight.js/lib/common'))
  let hljs: HLJSApi | undefined
  let loading: Promise<HLJSApi> | undefined

  return {
    highlight(code, language) {
      if (!hljs?.getLanguage(language)) return undefined
      return hljs.highlight(code, { language, ignoreIllegals: true }).value
    },
    async load(language) {
      loading ??= load().then((module) => ('default' in module ? module.default : module))
      try {
        hljs = await loading
      } catch {
        // A chunk that failed to load (offline, a new deploy): the code stays plain, and a later call retries.
        loading = undefined
        return false
      }
      return hljs.getLanguage(language) !== undefined
    },
  }
}
