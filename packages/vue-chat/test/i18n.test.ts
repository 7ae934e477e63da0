import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, shallowRef } from 'vue'
import { ChatComposer, en, MessageList, provideChatI18n, type ChatStrings } from '../src'
import { zhCN } from '../src/i18n/zh-CN'

describe('i18n', () => {
  it('translates every string into Simplified Chinese', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort())
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).not.toBe(en[key])
      expect(zhCN[key], key).toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('reaches components used on their own, and follows locale changes', async () => {
    const locale = shallowRef<ChatStrings>(zhCN)
    const Parent = defineComponent({
      setup() {
        provideChatI18n({
          locale,
          strings: () => ({ emptyState: locale.value === en ? 'Nothing yet' : undefined }),
        })
        return () => [h(ChatComposer, { modelValue: '' }), h(MessageList, { messages: [] })]
      },
    })
    const wrapper = mount(Parent)
    expect(wrapper.get('[data-testid="send"]').attributes('aria-label')).toBe('发送')
    expect(wrapper.get('label').text()).toBe('消息')
    expect(wrapper.get('[data-testid="empty-state"]').text()).toBe('还没有消息。提个问题开始吧。')

    locale.value = en
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid="send"]').attributes('aria-label')).toBe('Send')
    expect(wrapper.get('[data-testid="empty-state"]').text()).toBe('Nothing yet')
  })
})
