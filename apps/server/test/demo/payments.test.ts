import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { SseReader } from '../support/sse-reader'
import { sleep } from '../support/wait'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ demo: { stepMs: 15 } })
})

afterAll(() => server.close())

async function createPayment(body: unknown): Promise<{ key: string; token: string; paymentId: string }> {
  const res = await fetch(`${server.url}/api/demo/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { key: string; token: string; paymentId: string }
}

describe('POST /api/demo/payments', () => {
  it('answers {key, token} and pushes created → paying → paid, then completes', async () => {
    const { key, token, paymentId } = await createPayment({ outcome: 'paid', amount: 500, currency: 'USD' })
    expect(key).toBe(`pay_${paymentId}`)
    const reader = await SseReader.open(server.eventsUrl(key, token))
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.event)).toEqual(['status', 'status', 'status', 'done'])
    expect(reader.data.slice(0, 3)).toMatchObject([
      { paymentId, status: 'created', amount: 500, currency: 'USD' },
      { paymentId, status: 'paying' },
      { paymentId, status: 'paid' },
    ])
    expect(reader.data[3]).toEqual({ reason: 'complete' })
  })

  it('can fail, with a reason', async () => {
    const { key, token } = await createPayment({ outcome: 'failed' })
    const reader = await SseReader.open(server.eventsUrl(key, token))
    await reader.waitForEnd()
    expect(reader.data.map((d) => (d as { status?: string }).status)).toEqual([
      'created',
      'paying',
      'failed',
      undefined,
    ])
    expect(reader.data[2]).toMatchObject({ reason: 'card_declined' })
  })

  it('keeps every status for a browser that connects after the payment finished', async () => {
    const { key, token } = await createPayment({})
    await expect.poll(async () => (await server.registry.state(key))?.ended).toBe(true)
    const reader = await SseReader.open(server.eventsUrl(key, token))
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.id)).toEqual(['1', '2', '3', '4'])
    expect(['paid', 'failed']).toContain((reader.data[2] as { status: string }).status)
  })

  it('rejects a bad request naming the field', async () => {
    const res = await fetch(`${server.url}/api/demo/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'euro' }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^currency: /)
  })

  it('stops its timers when the server closes', async () => {
    const other = await startTestServer({ demo: { stepMs: 30 } })
    const res = await fetch(`${other.url}/api/demo/payments`, { method: 'POST' })
    expect(res.status).toBe(201)
    const send = vi.spyOn(other.registry, 'send')
    await other.close()
    await sleep(100)
    expect(send).not.toHaveBeenCalled()
  })

  it('is absent when disabled', async () => {
    const other = await startTestServer({ demo: { enabled: false } })
    try {
      expect((await fetch(`${other.url}/api/demo/payments`, { method: 'POST' })).status).toBe(404)
    } finally {
      await other.close()
    }
  })
})
