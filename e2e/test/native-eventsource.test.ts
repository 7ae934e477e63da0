import { describe, expect, it } from 'vitest'
import { useHarness } from '../src/harness'

const kit = useHarness()

interface Received {
  readonly event: string
  readonly id: string
  readonly data: string
}

describe("the browser's own EventSource", () => {
  it('starts an answer with GET /api/chat and gets it as plain strings, ids naming the answer', async () => {
    const page = await kit.newPage()
    await page.goto('/')
    const received = await page.evaluate(
      () =>
        new Promise<Received[]>((resolve, reject) => {
          const seen: Received[] = []
          const source = new EventSource('/api/chat?prompt=Hello&format=text')
          for (const event of ['start', 'message', 'done']) {
            source.addEventListener(event, (e) => {
              const { data, lastEventId } = e as MessageEvent<string>
              seen.push({ event, id: lastEventId, data })
              if (event === 'done') {
                source.close()
                resolve(seen)
              }
            })
          }
          source.addEventListener('error', (e) => {
            source.close()
            reject(new Error(`error event: ${'data' in e ? String(e.data) : 'transport'}`))
          })
        }),
    )
    const { streamId } = JSON.parse(received[0]?.data ?? '{}') as { streamId: string }
    expect(received[0]?.event).toBe('start')
    expect(received.at(-1)?.event).toBe('done')
    expect(received.every((e, index) => e.id === `${streamId}:${index + 1}`)).toBe(true)
    const text = received
      .filter((e) => e.event === 'message')
      .map((e) => e.data)
      .join('')
    // Plain strings: the demo's Markdown arrives as text, not as JSON objects.
    expect(text.length).toBeGreaterThan(100)
    expect(text).not.toContain('"delta"')
    expect(text).toContain('\n')
  })
})
