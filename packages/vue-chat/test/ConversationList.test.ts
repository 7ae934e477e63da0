import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { ConversationList, type ChatConversation } from '../src'

const conversation = (id: string, title: string, updatedAt: string): ChatConversation => ({
  id,
  title,
  createdAt: updatedAt,
  updatedAt,
  messages: [],
})
const conversations = [
  conversation('a', 'Older', '2025-01-01T00:00:00Z'),
  conversation('b', '', '2025-03-01T00:00:00Z'),
  conversation('c', 'Middle', '2025-02-01T00:00:00Z'),
]

describe('<ConversationList>', () => {
  it('lists conversations newest first and marks the active one', () => {
    const wrapper = mount(ConversationList, { props: { conversations, activeId: 'c' } })
    expect(wrapper.get('nav').attributes('aria-label')).toBe('Conversations')
    const items = wrapper.findAll('.kit-conversations__select')
    expect(items.map((b) => b.text())).toEqual(['Untitled', 'Middle', 'Older'])
    expect(items.map((b) => b.attributes('aria-current'))).toEqual([undefined, 'true', undefined])
  })

  it('emits select, create and remove', async () => {
    const wrapper = mount(ConversationList, { props: { conversations } })
    await wrapper.findAll('.kit-conversations__select')[2]!.trigger('click')
    await wrapper.get('[data-testid="new-conversation"]').trigger('click')
    const remove = wrapper.findAll('[data-testid="delete-conversation"]')[1]!
    expect(remove.attributes('aria-label')).toBe('Delete: Middle')
    await remove.trigger('click')
    expect(wrapper.emitted()).toMatchObject({ select: [['a']], create: [[]], remove: [['c']] })
  })

  it('renames in place: Enter commits, Escape cancels', async () => {
    const wrapper = mount(ConversationList, { props: { conversations }, attachTo: document.body })
    await wrapper.findAll('[data-testid="rename-conversation"]')[1]!.trigger('click')
    const input = wrapper.get('input')
    expect(input.attributes('aria-label')).toBe('New title')
    expect(document.activeElement).toBe(input.element)
    await input.setValue('Renamed')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('rename')).toEqual([['c', 'Renamed']])
    expect(wrapper.find('input').exists()).toBe(false)

    await wrapper.findAll('[data-testid="rename-conversation"]')[2]!.trigger('click')
    await wrapper.get('input').setValue('Not this')
    await wrapper.get('input').trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('input').exists()).toBe(false)
    expect(wrapper.emitted('rename')).toHaveLength(1)
    wrapper.unmount()
  })
})
