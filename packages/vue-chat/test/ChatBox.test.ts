import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { h, nextTick } from 'vue'
import { ChatBox, SCHEMA_VERSION, useChatStore, type ChatMessage } from '../src'
import { zhCN } from '../src/i18n/zh-CN'
import { createFakeChatServer, type FakeChatServer } from './support/fakeChatServer'
import { server } from './support/msw'

let fake: FakeChatServer
let pinia: Pinia
beforeEach(() => {
  fake = createFakeChatServer()
  server.use(...fake.handlers)
  pinia = createPinia()
  setActivePinia(pinia)
})

function mountChat(props: Record<string, unknown> = {}) {
  return mount(ChatBox, { props, global: { plugins: [pinia] }, attachTo: document.body })
}

/** Types `text` into the composer and presses Enter. */
async function ask(root: Element, text: string) {
  const input = root.querySelector('textarea')!
  input.value = text
  input.dispatchEvent(new Event('input'))
  await nextTick()
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }))
  await nextTick()
}

const answerText = () => document.querySelector('[data-role="assistant"] .kit-markdown')?.innerHTML ?? ''

describe('<ChatBox>', () => {
  it('picks providers and templates from /api/providers and labels the demo', async () => {
    const wrapper = mountChat()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="provider-select"]').exists()).toBe(true))
    await nextTick()
    const provider = wrapper.get('[data-testid="provider-select"]')
    expect((provider.element as HTMLSelectElement).value).toBe('demo')
    expect(provider.findAll('option').map((o) => o.text())).toEqual(['demo (Demo)', 'openai'])
    expect(wrapper.get('[data-testid="demo-badge"]').text()).toBe('Demo')
    expect(wrapper.get('[data-testid="demo-notice"]').text()).toContain('Demo provider')
    expect(wrapper.find('[data-testid="model-select"]').exists()).toBe(false)

    await provider.setValue('openai')
    expect(wrapper.find('[data-testid="demo-badge"]').exists()).toBe(false)
    expect((wrapper.get('[data-testid="model-select"]').element as HTMLSelectElement).value).toBe(
      'gpt-4o-mini',
    )
    await wrapper.get('[data-testid="model-select"]').setValue('gpt-4o')
    await wrapper.get('[data-testid="template-select"]').setValue('translate')
    await wrapper.get('[data-testid="template-arg-language"]').setValue('German')

    await ask(wrapper.element, 'Good morning')
    const answer = await fake.nextAnswer()
    expect(answer.request).toMatchObject({
      prompt: 'Good morning',
      provider: 'openai',
      model: 'gpt-4o',
      template: 'translate',
      templateArgs: { language: 'German' },
    })
    wrapper.unmount()
  })

  it('streams an answer into the log, then saves the conversation', async () => {
    const wrapper = mountChat({ pickers: false })
    expect(wrapper.get('[data-testid="empty-state"]').text()).toBe(
      'No messages yet. Ask a question to start.',
    )
    await ask(wrapper.element, 'What is SSE?')
    const answer = await fake.nextAnswer()
    expect(answer.request).toMatchObject({ prompt: 'What is SSE?' })
    expect((wrapper.get('[data-testid="composer-input"]').element as HTMLTextAreaElement).value).toBe('')
    await nextTick()
    expect(wrapper.get('[role="log"]').attributes('aria-busy')).toBe('true')
    expect(wrapper.find('[data-testid="stop"]').exists()).toBe(true)

    answer.token('Server-Sent **Events** ')
    await vi.waitFor(() => expect(answerText()).toBe('<p>Server-Sent <strong>Events</strong></p>\n'))
    answer.token('push `text`.')
    answer.done()
    await vi.waitFor(() => expect(wrapper.get('[role="log"]').attributes('aria-busy')).toBe('false'))
    expect(answerText()).toBe('<p>Server-Sent <strong>Events</strong> push <code>text</code>.</p>\n')
    expect(wrapper.get('[data-testid="announcer"]').text()).toBe('The answer is complete.')
    expect(wrapper.find('[data-testid="send"]').exists()).toBe(true)

    const store = useChatStore()
    expect(store.active).toMatchObject({ title: 'What is SSE?', remoteId: 'conv-1' })
    expect(wrapper.get('.kit-chat__title').text()).toBe('What is SSE?')
    store.flush()
    const saved = JSON.parse(localStorage.getItem('kit-chat')!)
    expect(saved.version).toBe(SCHEMA_VERSION)
    expect(saved.conversations[0].messages.map((m: { content: string }) => m.content)).toEqual([
      'What is SSE?',
      'Server-Sent **Events** push `text`.',
    ])

    await ask(wrapper.element, 'And WebSockets?')
    expect((await fake.nextAnswer()).request).toMatchObject({ conversationId: 'conv-1' })
    wrapper.unmount()
  })

  it('shows the answers left today from GET /api/quota, again after each answer', async () => {
    fake.quota.remaining = 2
    const wrapper = mountChat({ quota: true, locale: zhCN })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="quota"]').text()).toBe('今日剩余回答次数：2'))
    await ask(wrapper.element, 'Hi')
    const answer = await fake.nextAnswer()
    fake.quota.remaining = 1
    answer.done()
    await vi.waitFor(() => expect(wrapper.get('[data-testid="quota"]').text()).toBe('今日剩余回答次数：1'))
    // The picked provider is the one asked about.
    expect(fake.requests.filter((r) => r.path === '/api/quota').length).toBeGreaterThanOrEqual(2)
    fake.quota.remaining = null
    await wrapper.get('[data-testid="provider-select"]').setValue('openai')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="quota"]').exists()).toBe(false))
    wrapper.unmount()
  })

  it('asks nothing about quotas unless told to', async () => {
    fake.quota.remaining = 5
    const wrapper = mountChat({ pickers: false })
    await ask(wrapper.element, 'Hi')
    ;(await fake.nextAnswer()).done()
    await vi.waitFor(() => expect(wrapper.get('[role="log"]').attributes('aria-busy')).toBe('false'))
    expect(fake.requests.some((r) => r.path === '/api/quota')).toBe(false)
    expect(wrapper.find('[data-testid="quota"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('stops an answer and keeps what arrived', async () => {
    const wrapper = mountChat({ pickers: false })
    await ask(wrapper.element, 'Count')
    const answer = await fake.nextAnswer()
    answer.token('one two')
    await vi.waitFor(() => expect(answerText()).toContain('one two'))
    await wrapper.get('[data-testid="stop"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="stopped"]').text()).toBe('Stopped')
    expect(answerText()).toBe('<p>one two</p>\n')
    expect(fake.requests.some((r) => r.path === `/api/chat/streams/${answer.streamId}/stop`)).toBe(true)
    wrapper.unmount()
  })

  it('shows a failed answer as an alert, and retry asks again', async () => {
    const onError = vi.fn()
    const wrapper = mountChat({ pickers: false, onError })
    await ask(wrapper.element, 'Hello')
    ;(await fake.nextAnswer()).error({ code: 'provider_error', message: 'Upstream failed', retriable: true })
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toContain('Upstream failed')
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'provider_error' }),
      expect.anything(),
    )

    await wrapper.get('[data-testid="retry"]').trigger('click')
    ;(await fake.nextAnswer()).play('Second time lucky')
    await vi.waitFor(() => expect(answerText()).toBe('<p>Second time lucky</p>\n'))
    expect(wrapper.findAll('[data-testid="message"]')).toHaveLength(2)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('resumes an answer that was streaming when the page was reloaded', async () => {
    const channel = fake.answerInProgress('2001', 'conv-7')
    channel.token('Already ')
    channel.token('shown, ')
    localStorage.setItem(
      'kit-chat',
      JSON.stringify({
        version: SCHEMA_VERSION,
        activeId: 'c1',
        conversations: [
          {
            id: 'c1',
            remoteId: 'conv-7',
            title: 'Reloaded',
            createdAt: '2025-01-01T00:00:00Z',
            updatedAt: '2025-01-01T00:00:00Z',
            messages: [
              { id: 'u', role: 'user', content: 'Go on', createdAt: '2025-01-01T00:00:00Z' },
              {
                id: 'a',
                role: 'assistant',
                content: 'Already shown, ',
                createdAt: '2025-01-01T00:00:01Z',
                status: 'streaming',
                streamId: '2001',
                lastEventId: '3',
              },
            ],
          },
        ],
      }),
    )
    channel.token('then resumed.')
    const wrapper = mountChat({ pickers: false })
    await vi.waitFor(() =>
      expect(fake.requests.some((r) => r.method === 'GET' && r.lastEventId === '3')).toBe(true),
    )
    channel.done()
    await vi.waitFor(() => expect(useChatStore().active?.messages[1]?.status).toBe('done'))
    expect(answerText()).toBe('<p>Already shown, then resumed.</p>\n')
    wrapper.unmount()
  })

  it('resumes a conversation left streaming by a reload when it is selected', async () => {
    const channel = fake.answerInProgress('3001', 'conv-8')
    channel.token('Back')
    const store = useChatStore()
    const background = store.create('Background')
    background.messages.push(
      { id: 'u', role: 'user', content: 'Go', createdAt: '' },
      {
        id: 'a',
        role: 'assistant',
        content: 'Back',
        createdAt: '',
        status: 'streaming',
        streamId: '3001',
        lastEventId: '2',
      },
    )
    store.create('Current')
    const wrapper = mountChat({ pickers: false })
    await flushPromises()
    expect(fake.requests).toEqual([])

    store.select(background.id)
    channel.token(' again')
    channel.done()
    await vi.waitFor(() =>
      expect(background.messages[1]).toMatchObject({ content: 'Back again', status: 'done' }),
    )
    expect(fake.requests.map((r) => [r.path, r.lastEventId])).toEqual([['/api/chat/streams/3001', '2']])
    wrapper.unmount()
  })

  it('opens the conversation list as a drawer, closes it with Escape and switches conversations', async () => {
    const store = useChatStore()
    const first = store.create('First')
    first.messages.push({ id: 'm1', role: 'user', content: 'In the first', createdAt: '' })
    store.create('Second')
    const wrapper = mountChat({ pickers: false })
    const toggle = wrapper.get('[data-testid="drawer-toggle"]')
    expect(toggle.attributes()).toMatchObject({
      'aria-expanded': 'false',
      'aria-label': 'Show conversations',
    })
    expect(toggle.attributes('aria-controls')).toBe(wrapper.get('[data-testid="drawer"]').attributes('id'))

    await toggle.trigger('click')
    await nextTick()
    expect(toggle.attributes('aria-expanded')).toBe('true')
    expect(wrapper.classes()).toContain('kit-chat--drawer-open')
    expect(document.activeElement).toBe(wrapper.get('[data-testid="new-conversation"]').element)
    await wrapper.get('[data-testid="new-conversation"]').trigger('keydown', { key: 'Escape' })
    expect(toggle.attributes('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(toggle.element)

    await toggle.trigger('click')
    const items = wrapper.findAll('.kit-conversations__select')
    expect(items.map((i) => i.text())).toEqual(['Second', 'First'])
    await items[1]!.trigger('click')
    expect(wrapper.get('.kit-chat__title').text()).toBe('First')
    expect(wrapper.get('.kit-message__text').text()).toBe('In the first')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    expect(document.activeElement).toBe(wrapper.get('[data-testid="composer-input"]').element)
    wrapper.unmount()
  })

  it('speaks Simplified Chinese, and any string can be overridden', async () => {
    const wrapper = mountChat({ pickers: false, locale: zhCN, strings: { send: '提交' } })
    expect(wrapper.get('[data-testid="composer-input"]').attributes('placeholder')).toBe(
      '输入问题…（Enter 发送，Shift+Enter 换行）',
    )
    expect(wrapper.get('[data-testid="send"]').attributes('aria-label')).toBe('提交')
    expect(wrapper.get('[data-testid="empty-state"]').text()).toBe('还没有消息。提个问题开始吧。')
    await wrapper.setProps({ locale: undefined, strings: undefined })
    expect(wrapper.get('[data-testid="send"]').attributes('aria-label')).toBe('Send')
    wrapper.unmount()
  })

  it('works in an app that never installed pinia', async () => {
    setActivePinia(undefined)
    const wrapper = mount(ChatBox, { props: { pickers: false, conversations: false } })
    await ask(wrapper.element, 'Alone')
    ;(await fake.nextAnswer()).play('Fine')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="message"]')).toHaveLength(2))
    expect(wrapper.find('[data-testid="drawer"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('sends the headers function with every request, for tokens', async () => {
    let n = 0
    const wrapper = mountChat({ headers: () => ({ authorization: `Bearer ${++n}` }) })
    await ask(wrapper.element, 'Hi')
    ;(await fake.nextAnswer()).play('Yes')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="send"]').exists()).toBe(true))
    expect(fake.requests.map((r) => [r.path, r.authorization]).sort()).toEqual([
      ['/api/chat', 'Bearer 2'],
      ['/api/providers', 'Bearer 1'],
    ])

    // A parent that swaps its token function later is followed.
    await wrapper.setProps({ headers: { authorization: 'Bearer swapped' } })
    await ask(wrapper.element, 'Again')
    await fake.nextAnswer()
    expect(fake.requests.at(-1)).toMatchObject({ path: '/api/chat', authorization: 'Bearer swapped' })
    wrapper.unmount()
  })

  it('passes its slots on: header, footer, empty state, avatars and whole messages', async () => {
    const slots = {
      header: () => h('h3', { class: 'my-header' }, 'Mine'),
      footer: () => 'Small print',
      empty: () => 'Say hello',
    }
    const wrapper = mount(ChatBox, { props: { pickers: false }, slots, global: { plugins: [pinia] } })
    expect(wrapper.get('.my-header').text()).toBe('Mine')
    expect(wrapper.get('.kit-chat__footer').text()).toBe('Small print')
    expect(wrapper.get('[data-testid="empty-state"]').text()).toBe('Say hello')
    // Neither a header nor a footer slot reaches the log.
    expect(wrapper.get('[role="log"]').text()).toBe('Say hello')
    wrapper.unmount()

    const avatar = ({ message }: { message: ChatMessage }) => h('img', { alt: message.role })
    const withAvatar = mount(ChatBox, {
      props: { pickers: false },
      slots: { avatar },
      global: { plugins: [pinia] },
    })
    await ask(withAvatar.element, 'Hi')
    await vi.waitFor(() => expect(withAvatar.find('.kit-message__avatar img').exists()).toBe(true))
    expect(withAvatar.get('.kit-message__avatar img').attributes('alt')).toBe('user')
    withAvatar.unmount()

    const message = ({ message }: { message: ChatMessage }) => h('p', { class: 'mine' }, message.content)
    const custom = mount(ChatBox, {
      props: { pickers: false },
      slots: { message },
      global: { plugins: [pinia] },
    })
    await ask(custom.element, 'Hello')
    await vi.waitFor(() => expect(custom.findAll('.mine').map((m) => m.text())).toContain('Hello'))
    expect(custom.find('[data-testid="message"]').exists()).toBe(false)
    custom.unmount()
  })
})
