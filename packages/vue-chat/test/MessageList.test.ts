import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { h, nextTick } from 'vue'
import { MessageList, type ChatMessage } from '../src'

const user = (id: string, content: string): ChatMessage => ({ id, role: 'user', content, createdAt: '' })
const assistant = (id: string, content: string, status: ChatMessage['status'] = 'done'): ChatMessage => ({
  id,
  role: 'assistant',
  content,
  createdAt: '',
  status,
})

/** Gives the scroll container a layout: `content()` pixels of content in a 300 px viewport. */
function layout(scroller: HTMLElement, content: () => number) {
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => 300 })
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: content })
}

function userScrollsTo(scroller: HTMLElement, top: number) {
  scroller.scrollTop = top
  scroller.dispatchEvent(new Event('scroll'))
}

describe('<MessageList>', () => {
  it('is a labelled, focusable log, busy while an answer streams', async () => {
    const wrapper = mount(MessageList, { props: { messages: [user('1', 'Hi')], busy: true } })
    const log = wrapper.get('[role="log"]')
    expect(log.attributes()).toMatchObject({ 'aria-busy': 'true', 'aria-label': 'Messages', tabindex: '0' })
    await wrapper.setProps({ busy: false })
    expect(log.attributes('aria-busy')).toBe('false')
  })

  it('announces when an answer starts and ends, politely, not token by token', async () => {
    const messages = [user('1', 'Hi'), assistant('2', '', 'streaming')]
    const wrapper = mount(MessageList, { props: { messages: [user('1', 'Hi')] } })
    const announcer = wrapper.get('[data-testid="announcer"]')
    expect(announcer.attributes()).toMatchObject({ role: 'status', 'aria-live': 'polite' })

    await wrapper.setProps({ messages })
    expect(announcer.text()).toBe('The assistant is answering.')
    await wrapper.setProps({ messages: [messages[0]!, { ...messages[1]!, content: 'Hel' }] })
    expect(announcer.text()).toBe('The assistant is answering.')
    await wrapper.setProps({ messages: [messages[0]!, assistant('2', 'Hello', 'done')] })
    expect(announcer.text()).toBe('The answer is complete.')
    await wrapper.setProps({ messages: [messages[0]!, assistant('2', 'Hello', 'stopped')] })
    expect(announcer.text()).toBe('The answer was stopped.')
  })

  it('sticks to the bottom while content grows, lets go when the reader scrolls up', async () => {
    let height = 1000
    const messages = [user('1', 'Hi'), assistant('2', 'Hello')]
    const wrapper = mount(MessageList, { props: { messages }, attachTo: document.body })
    const scroller = wrapper.get('[role="log"]').element as HTMLElement
    layout(scroller, () => height)

    height = 1400
    await wrapper.setProps({ messages: [...messages, user('3', 'More')] })
    expect(scroller.scrollTop).toBe(1400)
    expect(wrapper.find('[data-testid="jump-to-latest"]').exists()).toBe(false)

    userScrollsTo(scroller, 500)
    await nextTick()
    const jump = wrapper.get('[data-testid="jump-to-latest"]')
    expect(jump.text()).toBe('Jump to latest')

    height = 1800
    await wrapper.setProps({ messages: [...messages, user('3', 'More'), assistant('4', 'Even more')] })
    expect(scroller.scrollTop).toBe(500)

    await jump.trigger('click')
    expect(scroller.scrollTop).toBe(1800)
    expect(wrapper.find('[data-testid="jump-to-latest"]').exists()).toBe(false)
    expect(document.activeElement).toBe(scroller)
    wrapper.unmount()
  })

  it('sticks again when the reader scrolls back down near the bottom', async () => {
    const wrapper = mount(MessageList, { props: { messages: [user('1', 'Hi')] } })
    await nextTick()
    const scroller = wrapper.get('[role="log"]').element as HTMLElement
    layout(scroller, () => 1000)
    userScrollsTo(scroller, 700)
    userScrollsTo(scroller, 200)
    await nextTick()
    expect(wrapper.find('[data-testid="jump-to-latest"]').exists()).toBe(true)
    userScrollsTo(scroller, 680)
    await nextTick()
    expect(wrapper.find('[data-testid="jump-to-latest"]').exists()).toBe(false)
  })

  it('does not let go when content grows under a view that follows it', async () => {
    let height = 1000
    const wrapper = mount(MessageList, { props: { messages: [user('1', 'Hi')] } })
    await nextTick()
    const scroller = wrapper.get('[role="log"]').element as HTMLElement
    layout(scroller, () => height)
    userScrollsTo(scroller, 700)
    // A big chunk lands before the scroll event of the follow-up arrives: far from the bottom, but not moved up.
    height = 3000
    scroller.dispatchEvent(new Event('scroll'))
    await nextTick()
    expect(wrapper.find('[data-testid="jump-to-latest"]').exists()).toBe(false)
  })

  it('offers regenerate only on the last answer, and not while busy', async () => {
    const messages = [user('1', 'A'), assistant('2', 'B'), user('3', 'C'), assistant('4', 'D')]
    const wrapper = mount(MessageList, { props: { messages } })
    const regenerate = wrapper.findAll('[data-testid="regenerate"]')
    expect(regenerate).toHaveLength(1)
    await regenerate[0]!.trigger('click')
    expect(wrapper.emitted('regenerate')).toEqual([[messages[3]]])
    await wrapper.setProps({ busy: true })
    expect(wrapper.findAll('[data-testid="regenerate"]')).toHaveLength(0)
  })

  it('takes slots for the empty state, avatars and whole messages', () => {
    const empty = mount(MessageList, { props: { messages: [] }, slots: { empty: 'Say hello' } })
    expect(empty.get('[data-testid="empty-state"]').text()).toBe('Say hello')

    const withAvatar = mount(MessageList, {
      props: { messages: [user('1', 'Hi')] },
      slots: { avatar: ({ message }: { message: ChatMessage }) => h('img', { alt: message.role }) },
    })
    expect(withAvatar.get('.kit-message__avatar img').attributes('alt')).toBe('user')

    const custom = mount(MessageList, {
      props: { messages: [user('1', 'Hi')] },
      slots: {
        message: ({ message }: { message: ChatMessage }) => h('p', { class: 'mine' }, message.content),
      },
    })
    expect(custom.get('.mine').text()).toBe('Hi')
    expect(custom.find('[data-testid="message"]').exists()).toBe(false)
  })
})
