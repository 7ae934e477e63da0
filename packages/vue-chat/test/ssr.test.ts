// @vitest-environment node
import { createPinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createSSRApp, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { ChatBox, MarkdownContent, useEventStream } from '../src'

describe('server-side rendering', () => {
  it('renders <ChatBox> without a window, touching no storage or network', async () => {
    expect(typeof window).toBe('undefined')
    const app = createSSRApp(ChatBox, { title: 'Support' }).use(createPinia())
    const html = await renderToString(app)
    expect(html).toContain('data-testid="chat-box"')
    expect(html).toContain('<h2 class="kit-chat__title">Support</h2>')
    expect(html).toContain('No messages yet.')
  })

  it('renders Markdown on the server', async () => {
    const html = await renderToString(createSSRApp(MarkdownContent, { source: '# Hi\n\n**there**' }))
    expect(html).toBe(
      '<div class="kit-markdown" data-testid="markdown"><h1>Hi</h1>\n<p><strong>there</strong></p>\n</div>',
    )
  })

  it('does not connect an event stream on the server', async () => {
    let status = ''
    const app = createSSRApp({
      setup() {
        status = useEventStream('http://localhost/api/events/order-1').status.value
        return () => h('p', status)
      },
    })
    expect(await renderToString(app)).toBe('<p>idle</p>')
  })
})
