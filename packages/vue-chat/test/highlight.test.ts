import { describe, expect, it, vi } from 'vitest'
import { createHighlighter } from '../src/highlight'

describe('createHighlighter (highlight.js)', () => {
  it('loads highlight.js on first use, then colours known languages', async () => {
    const highlighter = createHighlighter()
    expect(highlighter.highlight('const a = 1', 'ts')).toBeUndefined()
    expect(await highlighter.load!('ts')).toBe(true)
    expect(highlighter.highlight('const a = "<b>"', 'ts')).toBe(
      '<span class="hljs-keyword">const</span> a = <span class="hljs-string">&quot;&lt;b&gt;&quot;</span>',
    )
    expect(await highlighter.load!('no-such-language')).toBe(false)
    expect(highlighter.highlight('x', 'no-such-language')).toBeUndefined()
  })

  it('loads once, however many languages ask', async () => {
    const load = vi.fn(() => import('highlight.js/lib/common'))
    const highlighter = createHighlighter({ load })
    await Promise.all([highlighter.load!('js'), highlighter.load!('python'), highlighter.load!('bash')])
    expect(load).toHaveBeenCalledOnce()
  })

  it('keeps code plain when loading fails, and tries again later', async () => {
    const load = vi
      .fn()
      .mockRejectedValueOnce(new Error('chunk failed'))
      .mockImplementation(() => import('highlight.js/lib/common'))
    const highlighter = createHighlighter({ load })
    expect(await highlighter.load!('js')).toBe(false)
    expect(highlighter.highlight('let a', 'js')).toBeUndefined()
    expect(await highlighter.load!('js')).toBe(true)
    expect(load).toHaveBeenCalledTimes(2)
  })
})
