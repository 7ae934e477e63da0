import type MarkdownIt from 'markdown-it'
import { shallowRef } from 'vue'
import { createSafeMarkdown } from '../markdown/safeMarkdown'
import type { Highlighter, MarkdownOptions } from '../markdown/types'

type Options = Omit<MarkdownOptions, 'onMissingLanguage'>

const NO_HIGHLIGHTER: Highlighter = { highlight: () => undefined }
const instances = new WeakMap<Highlighter, Map<string, MarkdownIt>>()
const requested = new WeakMap<Highlighter, Set<string>>()

/** Bumped whenever a highlighter learns a language: code rendered before it was loaded is stale. */
export const highlightRevision = shallowRef(0)

/**
 * One markdown-it instance per set of options, shared by every <MarkdownContent>: a long conversation
 * would otherwise build (and keep) one per message.
 */
export function sharedMarkdown(options: Options): MarkdownIt {
  const highlighter = options.highlighter ?? NO_HIGHLIGHTER
  const key = [options.allowImages, options.linkify, options.copyText, options.copyLabel].join('\u0000')
  let byOptions = instances.get(highlighter)
  if (!byOptions) instances.set(highlighter, (byOptions = new Map()))
  let md = byOptions.get(key)
  if (!md) {
    md = createSafeMarkdown({ ...options, onMissingLanguage: (language) => load(highlighter, language) })
    byOptions.set(key, md)
  }
  return md
}

function load(highlighter: Highlighter, language: string): void {
  let languages = requested.get(highlighter)
  if (!languages) requested.set(highlighter, (languages = new Set()))
  if (languages.has(language)) return
  languages.add(language)
  void highlighter.load?.(language).then((ok) => {
    if (ok) highlightRevision.value++
  })
}
