import { createEventStream, StreamError } from '@kit/sse-client'
import type { DoneData, ErrorData } from '@kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentStatusEvent } from '../../src/demo/payments'
import { startTestServer, type TestServer } from '../support/server'
import { waitFor } from '../support/wait'

type PaymentEvents = { status: PaymentStatusEvent; message: number; done: DoneData; error: ErrorData }

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ demo: { stepMs: 20 } })
})

afterAll(() => server.close())

describe('subscribing with @kit/sse-client', () => {
  it('follows a demo payment with typed events to its end', async () => {
    const res = await fetch(`${server.url}/api/demo/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'paid' }),
    })
    const { key, token } = (await res.json()) as { key: string; token: string }
    const stream = createEventStream<PaymentEvents>(server.eventsUrl(key, token))
    const statuses: string[] = []
    stream.on('status', (data) => statuses.push(data.status))
    const finish = await stream.finished
    expect(finish.reason).toBe('done')
    expect(statuses).toEqual(['created', 'paying', 'paid'])
    expect(stream.lastEventId).toBe('4')
  })

  it('resumes with Last-Event-ID after the server drops it mid-flow, losing and doubling nothing', async () => {
    const stream = createEventStream<PaymentEvents>(server.eventsUrl('client-flow'))
    const seen: number[] = []
    const states: string[] = []
    stream.on('message', (n) => seen.push(n))
    stream.onStateChange((state) => states.push(state))
    await waitFor('open', () => stream.state === 'open')
    for (let n = 1; n <= 100; n++) {
      await server.publish('client-flow', n)
      if (n === 40) {
        await waitFor('40 events', () => seen.length === 40)
        server.registry.remove('client-flow')
      }
    }
    await server.post('/api/events/client-flow/complete')
    expect((await stream.finished).reason).toBe('done')
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(states).toContain('reconnecting')
  })

  it("reports the server's error event apart from a transport failure", async () => {
    const failing = createEventStream<PaymentEvents>(server.eventsUrl('client-error'))
    const serverErrors: ErrorData[] = []
    failing.on('error', (data) => serverErrors.push(data))
    await waitFor('open', () => failing.state === 'open')
    await server.post('/api/events/client-error/error', { code: 'payment_failed', message: 'declined' })
    const finish = await failing.finished
    expect(finish.reason).toBe('error')
    expect(serverErrors).toEqual([{ code: 'payment_failed', message: 'declined', retriable: false }])

    const refused = createEventStream(`${server.url}/api/events/client-401?token=forged`, { retry: false })
    const transport: StreamError[] = []
    refused.onTransportError((err) => transport.push(err))
    const refusal = await refused.finished
    expect(refusal.reason).toBe('fatal')
    expect(transport[0]).toBeInstanceOf(StreamError)
    expect(transport[0]).toMatchObject({ kind: 'http', status: 401 })
  })

  it('stops on 204 when it resumes a channel whose end it has already seen', async () => {
    await server.publish('client-ended', 1)
    await server.post('/api/events/client-ended/complete')
    const stream = createEventStream(server.eventsUrl('client-ended'), { lastEventId: '2' })
    const errors: StreamError[] = []
    stream.onTransportError((err) => errors.push(err))
    const finish = await stream.finished
    expect(finish.reason).toBe('fatal')
    expect(errors.map((e) => e.kind)).toEqual(['no-content'])
  })
})
