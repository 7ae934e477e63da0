import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useHarness } from '../src/harness'

const kit = useHarness({ paymentStepMs: 700 })

/** Records the timeline's statuses each time it changes, so the test sees how it grew, not only its end. */
function recordTimeline(page: Page): Promise<void> {
  return page.evaluate(() => {
    const read = () =>
      [...document.querySelectorAll<HTMLElement>('[data-testid=timeline-step]')].map(
        (step) => step.dataset.status!,
      )
    const snapshots = [read()]
    Object.assign(window, { timelineSnapshots: snapshots })
    new MutationObserver(() => {
      const now = read()
      if (now.join() !== snapshots.at(-1)!.join()) snapshots.push(now)
    }).observe(document.body, { childList: true, subtree: true })
  })
}

const timelineSnapshots = (page: Page) =>
  page.evaluate(() => (window as unknown as { timelineSnapshots: string[][] }).timelineSnapshots)

const timelineEventIds = (page: Page) =>
  page
    .getByTestId('timeline-step')
    .evaluateAll((steps) => steps.map((step) => step.textContent!.match(/event (\d+)/)?.[1]))

describe('payment page', () => {
  it('shows each status as the server pushes it, then the outcome', async () => {
    const page = await kit.newPage()
    await page.goto('/payment')
    await recordTimeline(page)
    await page.getByTestId('pay').click()
    await page.locator('[data-testid=payment-result][data-status=paid]').waitFor()

    expect(await timelineSnapshots(page)).toEqual([
      [],
      ['created'],
      ['created', 'paying'],
      ['created', 'paying', 'paid'],
    ])
    expect(await timelineEventIds(page)).toEqual(['1', '2', '3'])
    await page.locator('[data-testid=connection-state][data-state=closed]').waitFor()
    // The page shows the code it runs, highlighted.
    const code = page.getByTestId('code-sample')
    expect(await code.textContent()).toContain('useEventStream<PaymentEvents>(channelUrl, {')
    await code.locator('span[class^=hljs]').first().waitFor()
  })

  it('shows a declined payment as declined', async () => {
    const page = await kit.newPage()
    await page.goto('/payment')
    await page.getByTestId('payment-outcome').selectOption('failed')
    await page.getByTestId('pay').click()
    const result = page.locator('[data-testid=payment-result][data-status=failed]')
    await result.waitFor()
    expect(await result.textContent()).toContain('declined')
    expect(await page.getByTestId('timeline-step').last().textContent()).toContain('card declined')
  })

  it('resumes after a dropped connection with no status lost or repeated', async () => {
    const page = await kit.newPage()
    await page.goto('/payment')
    const resumes: string[] = []
    page.on('request', (request) => {
      const id = request.headers()['last-event-id']
      if (request.url().includes('/api/events/') && id) resumes.push(id)
    })
    await page.getByTestId('pay').click()
    await page.locator('[data-testid=timeline-step][data-status=created]').waitFor()
    await page.getByTestId('drop-connection').click()
    await page.locator('[data-testid=payment-result][data-status=paid]').waitFor()

    expect(resumes.length).toBeGreaterThan(0)
    expect(
      await page.getByTestId('timeline-step').evaluateAll((s) => s.map((e) => e.dataset.status)),
    ).toEqual(['created', 'paying', 'paid'])
    expect(await timelineEventIds(page)).toEqual(['1', '2', '3'])
    expect(await page.getByTestId('resume-note').textContent()).toContain(`Last-Event-ID: ${resumes[0]}`)
  })

  it("lets the browser's native EventSource follow a payment channel", async () => {
    const page = await kit.newPage()
    await page.goto('/payment')
    const received = await page.evaluate(async () => {
      const response = await fetch('/api/demo/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'paid' }),
      })
      const { key, token } = (await response.json()) as { key: string; token: string }
      const source = new EventSource(`/api/events/${key}?token=${encodeURIComponent(token)}`)
      const events: { type: string; id: string; status?: string }[] = []
      return new Promise<typeof events>((resolve, reject) => {
        source.addEventListener('status', (event) => {
          const { status } = JSON.parse(event.data) as { status: string }
          events.push({ type: event.type, id: event.lastEventId, status })
        })
        // `done` is the protocol's end; EventSource itself would reconnect, so the page closes it.
        source.addEventListener('done', (event) => {
          events.push({ type: event.type, id: event.lastEventId })
          source.close()
          resolve(events)
        })
        source.onerror = () => {
          if (source.readyState === EventSource.CLOSED) reject(new Error('EventSource failed'))
        }
      })
    })
    expect(received).toEqual([
      { type: 'status', id: '1', status: 'created' },
      { type: 'status', id: '2', status: 'paying' },
      { type: 'status', id: '3', status: 'paid' },
      { type: 'done', id: '4' },
    ])
  })
})
