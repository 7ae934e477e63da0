import type MarkdownIt from 'markdown-it'
import { shallowRef } from 'vue'
import { createSafeMarkdown } from '../markdown/safeMarkdown'
import type { Highlighter, MarkdownOptions } from '../markdown/types'

type Options = Omit<MarkdownOptions, 'onMissingLanguage'>

const NO_HIGHLIGHTER: Highlighter = { highlight: () => undefined }
/** Per highlighter: its markdown-it instances by options, and the languages it was asked to load. */
const shared = new WeakMap<Highlighter, { instances: Map<string, MarkdownIt>; requested: Set<string> }>()

/** Bumped whenever a highlighter learns a language: code rendered before it was loaded is stale. */
export const highlightRevision = shallowRef(0)

/**
 * One markdown-it instance per set of options, shared by every <MarkdownContent>: a long conversation
 * would otherwise build (and keep) one per message.
 */
export function sharedMarkdown(options: Options): MarkdownIt {
  const highlighter = options.highlighter ?? NO_HIGHLIGHTER
  const key = [options.allowImages, options.linkify, options.copyText, options.copyLabel].join('\u0000')
  let state = shared.get(highlighter)
  if (!state) shared.set(highlighter, (state = { instances: new Map(), requested: new Set() }))
  const { instances, requested } = state
  let md = instances.get(key)
  if (!md) {
    md = createSafeMarkdown({
      ...options,
      onMissingLanguage: (language) => {
        if (requested.has(language)) return
        requested.add(language)
        void highlighter.load?.(language).then((ok) => {
          if (ok) highlightRevision.value++
        })
      },
    })
    instances.set(key, md)
  }
  return md
}
