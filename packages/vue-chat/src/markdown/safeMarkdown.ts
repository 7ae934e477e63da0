import MarkdownIt from 'markdown-it'
import type { MarkdownOptions } from './types'

const SAFE_URL = /^(?:https?:|mailto:)/i

/**
 * A markdown-it instance for untrusted model output: no raw HTML, links only to http(s) and mailto
 * (anything else stays text), images shown as links unless allowed, code blocks with an escaped
 * language label and a copy button that the component handles by event delegation.
 */
export function createSafeMarkdown(options: MarkdownOptions = {}): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: options.linkify ?? true, typographer: false })
  const { escapeHtml } = md.utils
  md.validateLink = (url) => SAFE_URL.test(url.trim())

  const rules = md.renderer.rules
  rules.link_open = (tokens, idx, opts, _env, self) => {
    const token = tokens[idx]!
    token.attrSet('target', '_blank')
    token.attrSet('rel', 'noopener noreferrer')
    return self.renderToken(tokens, idx, opts)
  }

  const renderImage = rules.image!
  rules.image = (tokens, idx, opts, env, self) => {
    const token = tokens[idx]!
    token.attrSet('referrerpolicy', 'no-referrer')
    token.attrSet('loading', 'lazy')
    if (options.allowImages) return renderImage(tokens, idx, opts, env, self)
    const src = escapeHtml(token.attrGet('src') ?? '')
    const alt = escapeHtml(self.renderInlineAsText(token.children ?? [], opts, env) || src)
    return `<a href="${src}" class="kit-md-image" target="_blank" rel="noopener noreferrer">${alt}</a>`
  }

  rules.fence = (tokens, idx) => {
    const token = tokens[idx]!
    // The first word of the info string ('' splits into ['']).
    const language = token.info.trim().split(/\s+/, 1)[0]!
    const { highlighter } = options
    let code = highlighter && language ? highlighter.highlight(token.content, language) : undefined
    if (code === undefined) {
      // Plain and escaped until a highlighter that can load the language has it.
      if (language && highlighter?.load) options.onMissingLanguage?.(language)
      code = escapeHtml(token.content)
    }
    const lang = escapeHtml(language)
    const copyText = escapeHtml(options.copyText ?? 'Copy')
    const copyLabel = escapeHtml(options.copyLabel ?? 'Copy code')
    return (
      `<div class="kit-code"${lang ? ` data-lang="${lang}"` : ''}><div class="kit-code__bar">` +
      `<span class="kit-code__lang">${lang}</span>` +
      `<button type="button" class="kit-code__copy" data-kit-copy aria-label="${copyLabel}">${copyText}</button>` +
      `</div><pre><code${lang ? ` class="language-${lang}"` : ''}>${code}</code></pre></div>\n`
    )
  }
  return md
}
