import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { answers, openChat, waitForAnswer } from '../src/chat'
import { useHarness } from '../src/harness'

const kit = useHarness()

const userMessages = (page: Page) => page.locator('[data-testid=message][data-role=user]')

/** Records how every Enter keydown reached the composer, to prove the composing ones were composing. */
const recordEnters = (page: Page) =>
  page.getByTestId('composer-input').evaluate((input) => {
    const enters: { isComposing: boolean; keyCode: number }[] = []
    Object.assign(window, { enters })
    ;(input as HTMLElement).addEventListener('keydown', (event) => {
      if (event.key === 'Enter') enters.push({ isComposing: event.isComposing, keyCode: event.keyCode })
    })
  })

const enters = (page: Page) =>
  page.evaluate(() => (window as unknown as { enters: { isComposing: boolean; keyCode: number }[] }).enters)

/** Presses Tab until `selector` has the focus; fails after `limit` presses (it is not reachable). */
async function tabTo(page: Page, selector: string, key = 'Tab', limit = 40): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press(key)
  }
  throw new Error(`${selector} was not reached with ${limit} presses of ${key}`)
}

/**
 * Focus is visible when the focused element, or the frame around it, looks different focused and not:
 * the kit marks its composer through the border of the form around the textarea, buttons with a ring.
 */
async function focusIsVisible(page: Page): Promise<boolean> {
  const element = await page.evaluateHandle(() => document.activeElement as HTMLElement)
  const clip = await element.evaluate((node) => {
    const box = (node.closest('form') ?? node).getBoundingClientRect()
    return { x: box.x - 4, y: box.y - 4, width: box.width + 8, height: box.height + 8 }
  })
  const shot = () => page.screenshot({ clip, animations: 'disabled', caret: 'hide' })
  const focused = await shot()
  await element.evaluate((node) => node.blur())
  const unfocused = await shot()
  await element.evaluate((node) => node.focus())
  return !focused.equals(unfocused)
}

describe('composer', () => {
  it('does not send on Enter while a Chinese IME is composing', async () => {
    const page = await kit.newPage()
    await openChat(page)
    const cdp = await page.context().newCDPSession(page)
    await page.getByTestId('composer-input').focus()
    await recordEnters(page)

    // Typing "nihao" with a pinyin IME, Enter picks the candidate: the IME takes the key, no text is typed.
    const imeEnter = async (keyCode: number) => {
      const key = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: keyCode }
      await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key })
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key })
    }
    await cdp.send('Input.imeSetComposition', { text: 'nihao', selectionStart: 5, selectionEnd: 5 })
    await imeEnter(13)
    await cdp.send('Input.insertText', { text: '你好' })
    // Safari ends the composition first, then sends the Enter it swallowed with keyCode 229.
    await imeEnter(229)
    expect(await userMessages(page).count()).toBe(0)
    expect(await page.getByTestId('composer-input').inputValue()).toBe('你好')

    await page.keyboard.press('Enter')
    await userMessages(page).first().waitFor()
    expect(await enters(page)).toEqual([
      { isComposing: true, keyCode: 13 },
      { isComposing: false, keyCode: 229 },
      { isComposing: false, keyCode: 13 },
    ])
    expect(await userMessages(page).allTextContents()).toEqual([expect.stringContaining('你好')])
    await waitForAnswer(page, 'done')
  })

  it('keeps Shift+Enter as a new line', async () => {
    const page = await kit.newPage()
    await openChat(page)
    const input = page.getByTestId('composer-input')
    await input.pressSequentially('first line')
    await input.press('Shift+Enter')
    await input.pressSequentially('second line')
    expect(await input.inputValue()).toBe('first line\nsecond line')
    expect(await userMessages(page).count()).toBe(0)
  })
})

describe('keyboard only', () => {
  it('asks, regenerates and pays without a mouse, with visible focus', async () => {
    const page = await kit.newPage()
    await openChat(page)
    await tabTo(page, '[data-testid=composer-input]')
    expect(await focusIsVisible(page)).toBe(true)
    await page.keyboard.type('Typed with the keyboard')
    await page.keyboard.press('Enter')
    await waitForAnswer(page, 'done')

    await tabTo(page, '[data-testid=regenerate]', 'Shift+Tab')
    expect(await focusIsVisible(page)).toBe(true)
    await page.keyboard.press('Enter')
    await waitForAnswer(page, 'streaming')
    await waitForAnswer(page, 'done')
    expect(await answers(page).count()).toBe(1)

    await tabTo(page, 'a[href="/payment"]', 'Shift+Tab')
    expect(await focusIsVisible(page)).toBe(true)
    await page.keyboard.press('Enter')
    await page.waitForURL('**/payment')
    await tabTo(page, '[data-testid=pay]')
    expect(await focusIsVisible(page)).toBe(true)
    await page.keyboard.press('Enter')
    await page.locator('[data-testid=payment-result]').waitFor()
  })
})
