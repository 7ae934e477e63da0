import { describe, expect, it } from 'vitest'
import { createIncrementalMarkdown, createSafeMarkdown } from '../src'

// Payloads from the usual XSS cheat sheets, as model output might carry them.
const xss = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](file:///etc/passwd)',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
  '[x](https://example.com/"onmouseover="alert(1))',
  '<svg/onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '```"><script>alert(1)</script>\ncode\n```',
  "```js' onclick='alert(1)\ncode\n```",
  '[ref]\n\n[ref]: javascript:alert(1)',
  '<details open ontoggle=alert(1)>',
  '`<script>alert(1)</script>`',
  '    <script>alert(1)</script>',
]

/** Parses the HTML and lists anything that could run script or load a resource. */
function dangers(html: string): string[] {
  const root = document.createElement('div')
  root.innerHTML = html
  const found: string[] = []
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase()
    if (
      ['script', 'iframe', 'object', 'embed', 'style', 'svg', 'img', 'details', 'form', 'input'].includes(tag)
    ) {
      found.push(`<${tag}>`)
    }
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${tag}[${attr.name}]`)
      if (['href', 'src'].includes(attr.name) && !/^(https?:|mailto:)/i.test(attr.value)) {
        found.push(`${tag}[${attr.name}=${attr.value}]`)
      }
    }
  }
  return found
}

describe('Markdown safety', () => {
  const md = createSafeMarkdown()

  it.each(xss)('renders %j inert', (payload) => {
    expect(dangers(md.render(payload))).toEqual([])
    // The streaming path (tail repair) must be as safe at every prefix.
    const renderer = createIncrementalMarkdown(md)
    for (let end = 1; end <= payload.length; end++) {
      const { blocks, tail } = renderer.update(payload.slice(0, end))
      expect(dangers(blocks.join('') + tail)).toEqual([])
    }
  })

  it('opens http(s) and mailto links in a new tab without a referrer or opener', () => {
    const html = md.render(
      '[a](https://example.com) <http://example.org> [m](mailto:a@example.com) www.example.net',
    )
    const root = document.createElement('div')
    root.innerHTML = html
    const links = [...root.querySelectorAll('a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com',
      'http://example.org',
      'mailto:a@example.com',
      'http://www.example.net',
    ])
    for (const a of links) {
      expect(a.getAttribute('rel')).toBe('noopener noreferrer')
      expect(a.getAttribute('target')).toBe('_blank')
    }
  })

  it('leaves links to other schemes as text', () => {
    expect(md.render('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n')
    expect(md.render('[x](/relative/path)')).toBe('<p>[x](/relative/path)</p>\n')
  })

  it('shows remote images as links unless they are allowed', () => {
    const text = '![a cat](https://example.com/cat.png)'
    expect(md.render(text)).toBe(
      '<p><a href="https://example.com/cat.png" class="kit-md-image" target="_blank" rel="noopener noreferrer">a cat</a></p>\n',
    )
    const allowed = createSafeMarkdown({ allowImages: true }).render(text)
    expect(allowed).toBe(
      '<p><img src="https://example.com/cat.png" alt="a cat" referrerpolicy="no-referrer" loading="lazy"></p>\n',
    )
  })

  it('escapes fence language names in the label and the class', () => {
    const html = md.render('```"><img src=x onerror=alert(1)>\nx\n```')
    expect(html).toContain('<span class="kit-code__lang">&quot;&gt;&lt;img</span>')
    expect(html).toContain('class="language-&quot;&gt;&lt;img"')
    expect(dangers(html)).toEqual([])
  })

  it('renders code blocks with a label and a copy button', () => {
    const html = createSafeMarkdown({ copyText: '复制', copyLabel: '复制代码' }).render(
      '```ts\nlet a = 1 < 2\n```',
    )
    expect(html).toBe(
      '<div class="kit-code" data-lang="ts"><div class="kit-code__bar"><span class="kit-code__lang">ts</span>' +
        '<button type="button" class="kit-code__copy" data-kit-copy aria-label="复制代码">复制</button></div>' +
        '<pre><code class="language-ts">let a = 1 &lt; 2\n</code></pre></div>\n',
    )
  })

  it('uses a highlighter, and asks for a language it does not have yet', () => {
    const missing: string[] = []
    const highlighted = createSafeMarkdown({
      highlighter: {
        highlight: (code, language) =>
          language === 'ts' ? `<span class="hljs-keyword">${code.trim()}</span>` : undefined,
        load: async () => true,
      },
      onMissingLanguage: (language) => missing.push(language),
    })
    expect(highlighted.render('```ts\nlet\n```')).toContain(
      '<code class="language-ts"><span class="hljs-keyword">let</span></code>',
    )
    expect(highlighted.render('```rust\nfn <\n```')).toContain('<code class="language-rust">fn &lt;\n</code>')
    expect(missing).toEqual(['rust'])
  })
})
