import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createIncrementalMarkdown, createSafeMarkdown } from '../src'

const fixtures = join(import.meta.dirname, 'fixtures')
const corpus = readdirSync(fixtures)
  .filter((name) => name.endsWith('.md'))
  .map((name) => [name, readFileSync(join(fixtures, name), 'utf8')] as const)

/** Streams `text` through the renderer in `size`-character tokens, checking finished blocks never change. */
function stream(text: string, size: number) {
  const md = createSafeMarkdown()
  const renderer = createIncrementalMarkdown(md)
  let shown: string[] = []
  let last = renderer.update('')
  for (let end = size; end < text.length + size; end += size) {
    last = renderer.update(text.slice(0, end))
    expect(last.blocks.slice(0, shown.length)).toEqual(shown)
    shown = [...last.blocks]
  }
  return { md, renderer, last }
}

describe('incremental Markdown', () => {
  it.each(corpus)('%s: the final render equals a plain render', (_, text) => {
    const { md, renderer } = stream(text, 4)
    expect(renderer.finish(text)).toBe(md.render(text))
  })

  it.each(corpus)('%s: finished blocks plus the tail render as the whole, in any token size', (_, text) => {
    for (const size of [1, 4, 17]) {
      const { md, renderer, last } = stream(text, size)
      expect(last.blocks.length).toBeGreaterThan(3)
      expect(last.blocks.join('') + md.render(text.slice(renderer.committed))).toBe(md.render(text))
    }
  })

  it('keeps only the open block in the tail', () => {
    const renderer = createIncrementalMarkdown(createSafeMarkdown())
    const result = renderer.update('# Title\n\nFirst paragraph.\n\nSecond para')
    expect(result.blocks.join('')).toBe('<h1>Title</h1>\n<p>First paragraph.</p>\n')
    expect(result.tail).toBe('<p>Second para</p>\n')
  })

  it('keeps a list open across a blank line: the next item may follow', () => {
    const renderer = createIncrementalMarkdown(createSafeMarkdown())
    expect(renderer.update('- one\n\n').blocks).toEqual([])
    const result = renderer.update('- one\n\n- two\n\nAfter\n')
    expect(result.blocks.join('')).toBe('<ul>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ul>\n')
    expect(result.tail).toBe('<p>After</p>\n')
  })

  it('does not finish a block on a line that is still being typed', () => {
    const renderer = createIncrementalMarkdown(createSafeMarkdown())
    // "#" alone would be an empty heading interrupting the paragraph; "#x" is not.
    expect(renderer.update('para\n#').blocks).toEqual([])
    expect(renderer.update('para\n#x\n').blocks).toEqual([])
    expect(renderer.update('para\n#x\n\nnext').blocks).toEqual(['<p>para\n#x</p>\n'])
  })

  it('keeps an open code fence open in the tail', () => {
    const renderer = createIncrementalMarkdown(createSafeMarkdown())
    const result = renderer.update('Intro\n\n```js\nconst a = 1\n')
    expect(result.blocks).toEqual(['<p>Intro</p>\n'])
    expect(result.tail).toContain('<code class="language-js">const a = 1\n</code>')
  })

  it('restarts when the source is replaced instead of extended', () => {
    const renderer = createIncrementalMarkdown(createSafeMarkdown())
    const first = renderer.update('One\n\nTwo\n\nThree')
    expect(first.blocks.join('')).toBe('<p>One</p>\n<p>Two</p>\n')
    const second = renderer.update('Other\n\nText')
    expect(second.epoch).not.toBe(first.epoch)
    expect(second.blocks).toEqual(['<p>Other</p>\n'])
    expect(second.tail).toBe('<p>Text</p>\n')
  })

  it('renders each finished block once: work per update does not grow with the answer', () => {
    const md = createSafeMarkdown()
    const rendered: number[] = []
    const render = md.render.bind(md)
    md.render = (src, env) => {
      rendered.push(src.length)
      return render(src, env)
    }
    const paragraph = 'A sentence of about sixty characters that goes on and on.\n\n'
    const text = paragraph.repeat(200)
    const renderer = createIncrementalMarkdown(md)
    for (let end = 4; end < text.length + 4; end += 4) renderer.update(text.slice(0, end))
    // Every call renders one block or the tail: never more than a paragraph, whatever the length so far.
    expect(Math.max(...rendered)).toBeLessThanOrEqual(paragraph.length)
    expect(rendered.reduce((a, b) => a + b, 0)).toBeLessThan(text.length * 20)
  })
})
