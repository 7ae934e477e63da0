import { describe, expect, it } from 'vitest'
import {
  askAndWaitMidAnswer,
  copiedSource,
  expectedAnswer,
  lastAnswer,
  openChat,
  waitForAnswer,
  withClipboard,
} from '../src/chat'
import { useHarness } from '../src/harness'

const kit = useHarness()

describe('a network drop mid-answer', () => {
  it('resumes from the last event: nothing duplicated, nothing lost', async () => {
    const page = await kit.newPage(withClipboard)
    await openChat(page)
    // The network is still down for the first reconnection: the client has to try again.
    const resumes: (string | undefined)[] = []
    await page.route('**/api/chat/streams/*', async (route) => {
      resumes.push(route.request().headers()['last-event-id'])
      if (resumes.length === 1) await route.abort('internetdisconnected')
      else await route.continue()
    })
    const prompt = 'Survive a dropped connection'
    await askAndWaitMidAnswer(page, prompt)
    await page.getByTestId('drop-connection').click()
    await page.getByTestId('reconnecting').waitFor()
    expect(
      (await lastAnswer(page).textContent())!.length,
      'the partial answer stays while reconnecting',
    ).toBeGreaterThan(60)
    const answer = await waitForAnswer(page, 'done')

    expect(resumes.length).toBeGreaterThanOrEqual(2)
    expect(Number(resumes[1])).toBeGreaterThan(0)
    expect(await copiedSource(page, answer)).toBe(await expectedAnswer(page, prompt))
    expect(await page.getByTestId('resume-note').textContent()).toContain(`Last-Event-ID: ${resumes.at(-1)}`)
  })
})

describe('a reload', () => {
  it('resumes the answer it cut, and keeps the conversation', async () => {
    const page = await kit.newPage(withClipboard)
    await openChat(page)
    const prompt = 'Survive a reload'
    await askAndWaitMidAnswer(page, prompt)
    await page.reload()

    const answer = await waitForAnswer(page, 'done')
    expect(await copiedSource(page, answer)).toBe(await expectedAnswer(page, prompt))
    await page.reload()
    await waitForAnswer(page, 'done')
    expect(await page.locator('[data-testid=message][data-role=user]').allTextContents()).toEqual([
      expect.stringContaining(prompt),
    ])
    expect(await lastAnswer(page).locator('table tbody tr').count()).toBe(3)
  })
})

describe('a server restart mid-answer', () => {
  it('ends in an honest interrupted state, and regenerate works', async () => {
    const page = await kit.newPage(withClipboard)
    await openChat(page)
    const prompt = 'Outlive a server restart'
    await askAndWaitMidAnswer(page, prompt)
    await kit.server.restart()

    // The new process has no trace of the answer: the client must say so, not pretend it finished.
    const interrupted = await waitForAnswer(page, 'interrupted')
    const alert = interrupted.getByRole('alert')
    expect(await alert.textContent()).toContain('interrupted')
    const partial = await copiedSource(page, interrupted)
    const whole = await expectedAnswer(page, prompt)
    expect(partial.length).toBeGreaterThan(0)
    expect(whole.startsWith(partial) && partial.length < whole.length).toBe(true)

    await lastAnswer(page).getByTestId('retry').click()
    const answer = await waitForAnswer(page, 'done')
    expect(await copiedSource(page, answer)).toBe(whole)
  })
})
