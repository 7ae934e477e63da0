import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ask, openChat, waitForAnswer } from '../src/chat'
import { useHarness } from '../src/harness'
import { longThreadSnapshot } from '../src/long-thread'

const kit = useHarness()
const COUNT = 10_000

/** Opens the playground's chat on a saved thread of `COUNT` messages. */
async function openLongThread(page: Page): Promise<void> {
  await page.addInitScript(
    (snapshot) => localStorage.setItem('kit-chat', snapshot),
    JSON.stringify(longThreadSnapshot(COUNT)),
  )
  await openChat(page)
  await page.locator(`[data-testid=message][aria-posinset="${COUNT}"]`).waitFor()
}

const list = (page: Page) => page.getByTestId('message-list')
const rendered = (page: Page) => page.locator('[data-testid=message]').count()
const scrollState = (page: Page) =>
  list(page).evaluate((el) => ({
    top: el.scrollTop,
    bottomGap: el.scrollHeight - el.scrollTop - el.clientHeight,
  }))

/** Scrolls the list to `top` and waits for the frames that render the messages there. */
async function scrollTo(page: Page, top: number): Promise<void> {
  await list(page).evaluate((el, y) => el.scrollTo({ top: y }), top)
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  )
}

describe('a thread of ten thousand messages', () => {
  it('opens at the bottom with only the messages near the view in the DOM, each numbered in the whole', async () => {
    const page = await kit.newPage()
    await openLongThread(page)
    expect(await rendered(page)).toBeLessThan(80)
    expect((await scrollState(page)).bottomGap).toBeLessThan(2)
    const last = page.locator('[data-testid=message]').last()
    expect(await last.getAttribute('aria-posinset')).toBe(String(COUNT))
    expect(await last.getAttribute('aria-setsize')).toBe(String(COUNT))
  })

  it('renders the messages wherever the reader scrolls, the first ones included', async () => {
    const page = await kit.newPage()
    await openLongThread(page)
    await scrollTo(page, 0)
    await page.getByText('Question 1: how does step 1 work?').waitFor()
    await expect.poll(() => rendered(page)).toBeLessThan(80)
    const middle = await list(page).evaluate((el) => el.scrollHeight / 2)
    await scrollTo(page, middle)
    const shown = await page
      .locator('[data-testid=message]')
      .evaluateAll((all) => all.map((el) => Number(el.getAttribute('aria-posinset'))))
    expect(Math.min(...shown)).toBeGreaterThan(2000)
    expect(Math.max(...shown)).toBeLessThan(8000)
    // Consecutive: nothing in the window is skipped.
    expect(shown).toEqual(shown.map((_, i) => (shown[0] as number) + i))
  })

  it('keeps the bottom pinned while an answer streams into the long thread', async () => {
    const page = await kit.newPage()
    await openLongThread(page)
    await ask(page, 'One more question')
    const gaps: number[] = []
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(100)
      gaps.push((await scrollState(page)).bottomGap)
    }
    await waitForAnswer(page, 'done')
    gaps.push((await scrollState(page)).bottomGap)
    expect(Math.max(...gaps)).toBeLessThan(80)
    expect(gaps.at(-1)).toBeLessThan(2)
  })

  it('comes back to where the reader was in each conversation', async () => {
    const page = await kit.newPage()
    await openLongThread(page)
    await scrollTo(page, 5_000)
    const before = (await scrollState(page)).top
    const firstShown = await page.locator('[data-testid=message]').first().getAttribute('aria-posinset')
    await page.getByTestId('new-conversation').click()
    await expect.poll(() => rendered(page)).toBe(0)
    await page.getByText('A long thread').click()
    await page.locator(`[data-testid=message][aria-posinset="${firstShown}"]`).waitFor()
    expect(Math.abs((await scrollState(page)).top - before)).toBeLessThan(2)
  })
})
