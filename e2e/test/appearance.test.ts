import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ask, openChat, waitForAnswer } from '../src/chat'
import { luminance } from '../src/colours'
import { useHarness } from '../src/harness'
import { saveScreenshot } from '../src/screenshots'

const kit = useHarness()
const WIDE = { width: 1280, height: 800 }
const NARROW = { width: 390, height: 844 }
const schemes = ['light', 'dark'] as const

/** Background and text of the page and of the chat follow the scheme: dark on light, or light on dark. */
async function expectScheme(page: Page, scheme: (typeof schemes)[number]): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme })
  for (const surface of [page.locator('html'), page.locator('.panel').first()]) {
    const background = await luminance(surface, 'background-color')
    const text = await luminance(surface, 'color')
    if (scheme === 'light') expect(background).toBeGreaterThan(0.8)
    else expect(background).toBeLessThan(0.05)
    expect(Math.abs(background - text), 'text contrasts with its background').toBeGreaterThan(0.5)
  }
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

async function chatWithAnswer(page: Page): Promise<void> {
  await openChat(page)
  await ask(page, 'What does the playground show?')
  await waitForAnswer(page, 'done')
}

async function paidPayment(page: Page): Promise<void> {
  await page.goto('/payment')
  await page.getByTestId('pay').click()
  await page.locator('[data-testid=payment-result][data-status=paid]').waitFor()
}

describe('appearance', () => {
  it('follows the light or dark system setting on both pages', async () => {
    const page = await kit.newPage({ viewport: WIDE })
    await chatWithAnswer(page)
    for (const scheme of schemes) {
      await expectScheme(page, scheme)
      expect(await luminance(page.getByTestId('chat-box'), 'background-color')).toSatisfy((l: number) =>
        scheme === 'light' ? l > 0.8 : l < 0.05,
      )
      await saveScreenshot(page, `chat-${scheme}-wide`)
    }
    await paidPayment(page)
    for (const scheme of schemes) {
      await expectScheme(page, scheme)
      await saveScreenshot(page, `payment-${scheme}-wide`)
    }
  })

  it('fits a narrow phone screen, with the conversations in a drawer', async () => {
    const page = await kit.newPage({ viewport: NARROW, hasTouch: true })
    await chatWithAnswer(page)
    expect(await noHorizontalScroll(page)).toBe(true)
    // The chat fills the screen once scrolled to: the composer is in view.
    await page.getByTestId('chat-box').evaluate((chat) => chat.scrollIntoView({ block: 'end' }))
    const composer = (await page.getByTestId('composer-input').boundingBox())!
    expect(composer.y).toBeGreaterThanOrEqual(0)
    expect(composer.y + composer.height).toBeLessThanOrEqual(NARROW.height)
    for (const scheme of schemes) {
      await expectScheme(page, scheme)
      await saveScreenshot(page, `chat-${scheme}-narrow`)
    }

    const drawer = page.getByTestId('drawer')
    expect(await drawer.isVisible()).toBe(false)
    await page.getByTestId('drawer-toggle').click()
    await drawer.waitFor({ state: 'visible' })
    await drawer.getByRole('button').first().focus()
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    expect(
      await page.getByTestId('drawer-toggle').evaluate((toggle) => toggle === document.activeElement),
    ).toBe(true)

    await paidPayment(page)
    expect(await noHorizontalScroll(page)).toBe(true)
    for (const scheme of schemes) {
      await expectScheme(page, scheme)
      await saveScreenshot(page, `payment-${scheme}-narrow`)
    }
  })
})
