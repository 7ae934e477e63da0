import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { ChatComposer } from '../src'

function mountComposer(props: { modelValue?: string; busy?: boolean } = {}) {
  return mount(ChatComposer, {
    props: { modelValue: 'Hello', ...props, 'onUpdate:modelValue': () => {} },
    attachTo: document.body,
  })
}

describe('<ChatComposer>', () => {
  it('sends on Enter', async () => {
    const wrapper = mountComposer()
    const event = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true })
    wrapper.get('textarea').element.dispatchEvent(event)
    expect(wrapper.emitted('send')).toEqual([['Hello']])
    expect(event.defaultPrevented).toBe(true)
  })

  it('keeps Shift+Enter for a new line', async () => {
    const wrapper = mountComposer()
    const event = new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, cancelable: true })
    wrapper.get('textarea').element.dispatchEvent(event)
    expect(wrapper.emitted('send')).toBeUndefined()
    expect(event.defaultPrevented).toBe(false)
  })

  it.each([
    ['isComposing', { isComposing: true }],
    ['keyCode 229 (Safari)', { keyCode: 229 }],
  ])('sends nothing while an IME composes (%s)', async (_, init) => {
    const wrapper = mountComposer({ modelValue: '你好' })
    const event = new KeyboardEvent('keydown', {
      key: 'Enter',
      cancelable: true,
      ...init,
    } as KeyboardEventInit)
    wrapper.get('textarea').element.dispatchEvent(event)
    expect(wrapper.emitted('send')).toBeUndefined()
    expect(event.defaultPrevented).toBe(false)
    // Once the composition is over, Enter sends.
    await wrapper.get('textarea').trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('send')).toEqual([['你好']])
  })

  it('sends with the button, not when the text is blank', async () => {
    const wrapper = mountComposer({ modelValue: '   ' })
    expect(wrapper.get('[data-testid="send"]').attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('send')).toBeUndefined()

    await wrapper.setProps({ modelValue: 'Go' })
    const send = wrapper.get('[data-testid="send"]')
    expect(send.attributes('aria-label')).toBe('Send')
    await send.trigger('click')
    expect(wrapper.emitted('send')).toEqual([['Go']])
  })

  it('shows a labelled stop button while busy, and Enter does not send', async () => {
    const wrapper = mountComposer({ busy: true })
    expect(wrapper.find('[data-testid="send"]').exists()).toBe(false)
    const stop = wrapper.get('[data-testid="stop"]')
    expect(stop.attributes('aria-label')).toBe('Stop generating')
    await wrapper.get('textarea').trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('send')).toBeUndefined()
    await stop.trigger('click')
    expect(wrapper.emitted('stop')).toHaveLength(1)
  })

  it('has a label and grows with its text', async () => {
    const wrapper = mountComposer({ modelValue: '' })
    const textarea = wrapper.get('textarea').element
    expect(wrapper.get(`label[for="${textarea.id}"]`).text()).toBe('Message')
    Object.defineProperty(textarea, 'scrollHeight', {
      configurable: true,
      get: () => 20 * textarea.value.split('\n').length,
    })
    await wrapper.setProps({ modelValue: 'one\ntwo\nthree' })
    expect(textarea.style.height).toBe('60px')
    await wrapper.setProps({ modelValue: 'one' })
    expect(textarea.style.height).toBe('20px')
  })

  it('updates v-model as the user types', async () => {
    const wrapper = mount(ChatComposer, {
      props: { modelValue: '', 'onUpdate:modelValue': (v: string) => wrapper.setProps({ modelValue: v }) },
    })
    await wrapper.get('textarea').setValue('typed')
    expect(wrapper.props('modelValue')).toBe('typed')
  })
})
