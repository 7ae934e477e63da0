import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ChatMessage, type ChatMessage as Message } from '../src'

afterEach(() => vi.restoreAllMocks())

const answer = (over: Partial<Message> = {}): Message => ({
  id: 'a1',
  role: 'assistant',
  content: 'The **answer**',
  createdAt: '',
  status: 'done',
  ...over,
})

describe('<ChatMessage>', () => {
  it('renders an answer as Markdown and a question as text', () => {
    const reply = mount(ChatMessage, { props: { message: answer() } })
    expect(reply.get('[data-testid="message"]').attributes()).toMatchObject({
      'data-role': 'assistant',
      'data-status': 'done',
      'aria-label': 'Assistant',
    })
    expect(reply.get('.kit-markdown').html()).toContain('<strong>answer</strong>')

    const question = mount(ChatMessage, {
      props: { message: { ...answer(), role: 'user', content: '**raw**' } },
    })
    expect(question.get('.kit-message__text').text()).toBe('**raw**')
    expect(question.find('.kit-markdown').exists()).toBe(false)
  })

  it('shows a typing indicator until the first token, and no actions while streaming', () => {
    const wrapper = mount(ChatMessage, {
      props: { message: answer({ content: '', status: 'streaming' }), canRegenerate: true },
    })
    expect(wrapper.find('[data-testid="typing"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="copy-message"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="regenerate"]').exists()).toBe(false)
  })

  it('copies the Markdown source', async () => {
    const writeText = vi.fn(async () => {})
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard)
    const wrapper = mount(ChatMessage, { props: { message: answer() } })
    const copy = wrapper.get('[data-testid="copy-message"]')
    expect(copy.attributes('aria-label')).toBe('Copy message')
    await copy.trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('The **answer**')
    expect(copy.attributes('aria-label')).toBe('Copied')
  })

  it('marks a stopped answer, and offers regenerate even when it was stopped before any text', () => {
    const wrapper = mount(ChatMessage, { props: { message: answer({ status: 'stopped' }) } })
    expect(wrapper.get('[data-testid="stopped"]').text()).toBe('Stopped')

    const empty = mount(ChatMessage, {
      props: { message: answer({ status: 'stopped', content: '' }), canRegenerate: true },
    })
    expect(empty.find('[data-testid="copy-message"]').exists()).toBe(false)
    expect(empty.find('[data-testid="regenerate"]').exists()).toBe(true)
  })

  it('shows errors as alerts with a retry', async () => {
    const message = answer({
      content: '',
      status: 'error',
      error: { source: 'server', code: 'provider_error', message: 'The model failed', retriable: true },
    })
    const wrapper = mount(ChatMessage, { props: { message, canRegenerate: true } })
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toContain('The model failed')
    await alert.get('[data-testid="retry"]').trigger('click')
    expect(wrapper.emitted('regenerate')).toEqual([[message]])
  })

  it('says plainly when an answer was interrupted for good', () => {
    const message = answer({
      content: 'Half an',
      status: 'interrupted',
      error: { source: 'transport', code: 'no-content', message: 'HTTP 204', retriable: true },
    })
    const wrapper = mount(ChatMessage, { props: { message } })
    expect(wrapper.get('[role="alert"]').text()).toBe('The answer was interrupted and cannot be resumed.')
    expect(wrapper.find('[data-testid="retry"]').exists()).toBe(false)
  })
})
