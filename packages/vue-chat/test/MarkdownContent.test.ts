import { flushPromises, mount } from '@vue/test-utils'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createSafeMarkdown, MarkdownContent, type Highlighter } from '../src'

let frames: FrameRequestCallback[]
beforeEach(() => {
  frames = []
  vi.spyOn(window, 'requestAnimationFrame').mockImplementation((callback) => frames.push(callback))
  vi.spyOn(window, 'cancelAnimationFrame').mockImplementation((handle) => {
    frames[handle - 1] = () => {}
  })
})
afterEach(() => vi.restoreAllMocks())

function runFrame(): void {
  const pending = frames.splice(0)
  frames.push(...pending.map(() => () => {}))
  for (const callback of pending) callback(performance.now())
}

/** What the DOM makes of an HTML string (attribute and entity spelling normalized). */
function asDom(html: string): string {
  const element = document.createElement('div')
  element.innerHTML = html
  return element.innerHTML
}

const answer = readFileSync(join(import.meta.dirname, 'fixtures/answer-en.md'), 'utf8')

describe('<MarkdownContent>', () => {
  it('renders a finished text at once, as a plain render', () => {
    const wrapper = mount(MarkdownContent, { props: { source: answer } })
    expect(wrapper.element.innerHTML).toBe(asDom(createSafeMarkdown().render(answer)))
  })

  it('batches updates to one render per animation frame', async () => {
    const wrapper = mount(MarkdownContent, { props: { source: '', streaming: true } })
    runFrame()
    for (const source of ['Hel', 'Hello **wo', 'Hello **world']) await wrapper.setProps({ source })
    expect(frames.filter((f) => f.name !== '')).toHaveLength(1)
    expect(wrapper.element.innerHTML).toBe('')
    runFrame()
    expect(wrapper.element.innerHTML).toBe('<p>Hello <strong>world</strong></p>\n')
  })

  it('keeps finished blocks in the DOM untouched while the tail changes', async () => {
    const wrapper = mount(MarkdownContent, { props: { source: '# Title\n\nFirst para', streaming: true } })
    runFrame()
    const heading = wrapper.get('h1').element
    await wrapper.setProps({ source: '# Title\n\nFirst paragraph.\n\nSecond' })
    runFrame()
    expect(wrapper.get('h1').element).toBe(heading)
    expect(wrapper.findAll('p').map((p) => p.text())).toEqual(['First paragraph.', 'Second'])
    const first = wrapper.get('p').element
    await wrapper.setProps({ source: '# Title\n\nFirst paragraph.\n\nSecond paragraph.' })
    runFrame()
    expect(wrapper.get('h1').element).toBe(heading)
    expect(wrapper.get('p').element).toBe(first)
  })

  it('streams a whole answer and ends with exactly the plain render', async () => {
    const wrapper = mount(MarkdownContent, { props: { source: '', streaming: true } })
    for (let end = 4; end < answer.length + 4; end += 4) {
      await wrapper.setProps({ source: answer.slice(0, end) })
      if (end % 64 === 0) runFrame()
    }
    runFrame()
    await wrapper.setProps({ streaming: false })
    expect(frames.filter((f) => f.name !== '')).toHaveLength(0)
    expect(wrapper.element.innerHTML).toBe(asDom(createSafeMarkdown().render(answer)))
  })

  it('renders in full at once when streaming ends, without waiting for a frame', async () => {
    const wrapper = mount(MarkdownContent, { props: { source: 'Par', streaming: true } })
    runFrame()
    await wrapper.setProps({ source: 'Partial *answer*' })
    await wrapper.setProps({ streaming: false })
    expect(wrapper.element.innerHTML).toBe('<p>Partial <em>answer</em></p>\n')
  })

  it('copies code through one delegated listener', async () => {
    const writeText = vi.fn(async () => {})
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard)
    const wrapper = mount(MarkdownContent, {
      props: { source: 'Intro\n\n```js\nconsole.log(1)\n```\n\n```sh\nls\n```\n' },
    })
    const buttons = wrapper.findAll('[data-kit-copy]')
    expect(buttons.map((b) => b.attributes('aria-label'))).toEqual(['Copy code', 'Copy code'])
    await buttons[1]!.trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('ls\n')
    expect(wrapper.emitted('copy')).toEqual([['ls\n']])
    expect(buttons[1]!.text()).toBe('Copied')
  })

  it('loads a highlighter language lazily, then renders the code coloured', async () => {
    let ready = false
    const highlighter: Highlighter = {
      highlight: (code, language) => (ready && language === 'ts' ? `<b class="hl">${code}</b>` : undefined),
      load: vi.fn(async () => (ready = true)),
    }
    const wrapper = mount(MarkdownContent, { props: { source: '```ts\nlet a\n```', highlighter } })
    expect(wrapper.find('.hl').exists()).toBe(false)
    await flushPromises()
    await nextTick()
    expect(highlighter.load).toHaveBeenCalledExactlyOnceWith('ts')
    expect(wrapper.get('code').html()).toBe('<code class="language-ts"><b class="hl">let a\n</b></code>')
  })

  it('shares one highlighter load between messages, and colours them all once it is ready', async () => {
    let ready = false
    const highlighter: Highlighter = {
      highlight: (code, language) => (ready && language === 'py' ? `<i>${code}</i>` : undefined),
      load: vi.fn(async () => (ready = true)),
    }
    const first = mount(MarkdownContent, { props: { source: '```py\na = 1\n```', highlighter } })
    const second = mount(MarkdownContent, { props: { source: '```py\nb = 2\n```', highlighter } })
    await flushPromises()
    await nextTick()
    expect(highlighter.load).toHaveBeenCalledOnce()
    expect(first.get('code i').text()).toBe('a = 1')
    expect(second.get('code i').text()).toBe('b = 2')
  })

  it('shows remote images as links unless allowed', async () => {
    const wrapper = mount(MarkdownContent, { props: { source: '![cat](https://example.com/cat.png)' } })
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.get('a.kit-md-image').attributes('href')).toBe('https://example.com/cat.png')
    await wrapper.setProps({ allowImages: true })
    expect(wrapper.get('img').attributes('src')).toBe('https://example.com/cat.png')
  })
})
