import { describe, expect, it } from 'vitest'
import {
  answerGrowth,
  answers,
  ask,
  askAndWaitMidAnswer,
  copiedSource,
  expectedAnswer,
  lastAnswer,
  openChat,
  recordAnswerGrowth,
  waitForAnswer,
  withClipboard,
} from '../src/chat'
import { useHarness } from '../src/harness'

const kit = useHarness()

describe('chat page', () => {
  it('says which provider answers, and shows its code', async () => {
    const page = await kit.newPage()
    await openChat(page)
    const notice = page.locator('[data-testid=provider-notice][data-demo=true]')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('demo provider')
    expect(await page.getByTestId('code-sample').textContent()).toContain(
      '<ChatBox :highlighter="highlighter"',
    )
  })

  it('streams an answer token by token: the text grows before it is done', async () => {
    const page = await kit.newPage()
    await openChat(page)
    await recordAnswerGrowth(page)
    await ask(page, 'Show me streaming')
    await waitForAnswer(page, 'done')

    // Rendered lengths are not strictly monotonic (a Markdown table shows fewer characters than its
    // source), so the proof is many different sizes, starting from a small fraction of the whole.
    const growth = await answerGrowth(page)
    const streaming = growth.filter((sample) => sample.status === 'streaming').map((sample) => sample.length)
    const final = growth.at(-1)!
    expect(final.status).toBe('done')
    expect(new Set(streaming).size, 'distinct sizes seen while streaming').toBeGreaterThan(10)
    expect(Math.min(...streaming)).toBeLessThan(final.length / 5)
  })

  it('renders Markdown: a table, and code with a copy button that copies it', async () => {
    const page = await kit.newPage(withClipboard)
    await openChat(page)
    await ask(page, 'Show me Markdown')
    const answer = await waitForAnswer(page, 'done')

    expect(await answer.locator('h2').textContent()).toBe('Demo answer')
    expect(await answer.locator('table thead th').allTextContents()).toEqual(['Part', 'Role'])
    expect(await answer.locator('table tbody tr').count()).toBe(3)
    const code = answer.locator('pre code')
    expect(await code.textContent()).toContain("useChatStream({ api: '/api' })")
    // Highlighting is loaded lazily, on the first code block.
    await code.locator('span[class^=hljs]').first().waitFor()

    const copy = answer.locator('[data-kit-copy]')
    await copy.click()
    await page.waitForFunction((button) => button?.textContent === 'Copied', await copy.elementHandle())
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.textContent())
  })

  it('stops an answer and keeps what had arrived', async () => {
    const page = await kit.newPage(withClipboard)
    await openChat(page)
    const prompt = 'Stop me halfway'
    const stopRequest = page.waitForRequest((request) =>
      /\/api\/chat\/streams\/[^/]+\/stop$/.test(request.url()),
    )
    await askAndWaitMidAnswer(page, prompt)
    await page.getByTestId('stop').click()
    const answer = await waitForAnswer(page, 'stopped')
    await answer.getByTestId('stopped').waitFor()
    const kept = await copiedSource(page, answer)

    // Once the server has ended the stream, nothing more can arrive: what is shown is final.
    const streamUrl = (await stopRequest).url().replace(/\/stop$/, '')
    const replay = await page.evaluate((url) => fetch(url).then((response) => response.text()), streamUrl)
    expect(replay).toMatch(/event: done\ndata: \{"reason":"aborted"/)
    expect(await copiedSource(page, answer)).toBe(kept)
    const whole = await expectedAnswer(page, prompt)
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(whole.length)
    expect(whole.startsWith(kept)).toBe(true)
  })

  it('regenerates an answer in place', async () => {
    const page = await kit.newPage(withClipboard)
    await openChat(page)
    const prompt = 'Say it again'
    await ask(page, prompt)
    await waitForAnswer(page, 'done')
    await recordAnswerGrowth(page)
    await lastAnswer(page).getByTestId('regenerate').click()
    const answer = await waitForAnswer(page, 'done')

    expect((await answerGrowth(page)).some((sample) => sample.status === 'streaming')).toBe(true)
    expect(await answers(page).count()).toBe(1)
    expect(await page.locator('[data-testid=message][data-role=user]').count()).toBe(1)
    expect(await copiedSource(page, answer)).toBe(await expectedAnswer(page, prompt))
  })
})
