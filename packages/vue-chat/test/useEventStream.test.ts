import { http, HttpResponse } from 'msw'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useEventStream, type UseEventStreamOptions } from '../src'
import { connection, FakeChannel } from './support/fakeChatServer'
import { server } from './support/msw'

// An interface on purpose: event maps written either way must type-check (the tests are type-checked).
interface PaymentEvents {
  status: { state: string }
  message: { note: string }
}

let channels: Map<string, FakeChannel>
let requests: Array<{ key: string; lastEventId: string | null }>
beforeEach(() => {
  channels = new Map()
  requests = []
  server.use(
    http.get('*/api/events/:key', ({ request, params }) => {
      const key = String(params.key)
      requests.push({ key, lastEventId: request.headers.get('last-event-id') })
      if (key === 'forbidden') {
        return HttpResponse.json({ error: { code: 'unauthorized', message: 'Bad token' } }, { status: 401 })
      }
      let channel = channels.get(key)
      if (!channel) channels.set(key, (channel = new FakeChannel(key)))
      return connection(channel, request.headers.get('last-event-id') ?? '')
    }),
  )
})

function setup(
  url: Parameters<typeof useEventStream>[0],
  options: UseEventStreamOptions<PaymentEvents> = {},
) {
  const scope = effectScope()
  const stream = scope.run(() =>
    useEventStream<PaymentEvents>(url, { retry: { initialMs: 5, maxMs: 20 }, ...options }),
  )!
  return { stream, scope }
}

const channel = async (key: string) => {
  await vi.waitFor(() => expect(channels.get(key)).toBeDefined())
  return channels.get(key)!
}

describe('useEventStream', () => {
  it('follows a channel: data, event, lastEventId and status', async () => {
    const { stream } = setup('/api/events/order-1', { events: ['status'] })
    expect(stream.status.value).toBe('connecting')
    const payment = await channel('order-1')
    await vi.waitFor(() => expect(stream.status.value).toBe('open'))

    payment.push('status', { state: 'paying' })
    await vi.waitFor(() => expect(stream.data.value).toEqual({ state: 'paying' }))
    expect(stream.event.value).toBe('status')
    expect(stream.lastEventId.value).toBe('1')

    payment.push('status', { state: 'paid' })
    payment.done({ reason: 'complete' })
    await vi.waitFor(() => expect(stream.status.value).toBe('closed'))
    expect(stream.data.value).toEqual({ state: 'paid' })
    expect(stream.error.value).toBeUndefined()
  })

  it('calls typed listeners per event name, also those added while open', async () => {
    const { stream } = setup('/api/events/order-2')
    const messages = vi.fn()
    stream.on('message', messages)
    const payment = await channel('order-2')
    await vi.waitFor(() => expect(stream.status.value).toBe('open'))
    const statuses = vi.fn()
    const off = stream.on('status', statuses)

    payment.push('status', { state: 'paying' })
    payment.push('message', { note: 'hello' })
    await vi.waitFor(() => expect(messages).toHaveBeenCalledOnce())
    expect(statuses).toHaveBeenCalledWith(
      { state: 'paying' },
      expect.objectContaining({ event: 'status', id: '1' }),
    )
    expect(stream.data.value).toEqual({ note: 'hello' })

    off()
    payment.push('status', { state: 'paid' })
    payment.push('message', { note: 'bye' })
    await vi.waitFor(() => expect(messages).toHaveBeenCalledTimes(2))
    expect(statuses).toHaveBeenCalledOnce()
  })

  it('reconnects after a drop and resumes after the last event', async () => {
    const { stream } = setup('/api/events/order-3', { events: ['status'] })
    const payment = await channel('order-3')
    payment.push('status', { state: 'paying' })
    await vi.waitFor(() => expect(stream.lastEventId.value).toBe('1'))

    payment.drop()
    payment.push('status', { state: 'paid' })
    await vi.waitFor(() => expect(stream.data.value).toEqual({ state: 'paid' }))
    expect(requests.map((r) => r.lastEventId)).toEqual([null, '1'])
  })

  it('reports the server error event apart from transport failures', async () => {
    const { stream } = setup('/api/events/order-4')
    const payment = await channel('order-4')
    payment.error({ code: 'channel_closed', message: 'Payment cancelled', retriable: false })
    await vi.waitFor(() => expect(stream.status.value).toBe('error'))
    expect(stream.error.value).toEqual({
      source: 'server',
      code: 'channel_closed',
      message: 'Payment cancelled',
      retriable: false,
    })
  })

  it('ends in error on a refused request, with the server code', async () => {
    const { stream } = setup('/api/events/forbidden')
    await vi.waitFor(() => expect(stream.status.value).toBe('error'))
    expect(stream.error.value).toMatchObject({ source: 'transport', code: 'unauthorized', status: 401 })
  })

  it('reopens when the url changes, starting that channel from its beginning', async () => {
    const key = ref('order-5')
    const { stream } = setup(() => `/api/events/${key.value}`, { events: ['status'] })
    const first = await channel('order-5')
    first.push('status', { state: 'paying' })
    await vi.waitFor(() => expect(stream.lastEventId.value).toBe('1'))

    key.value = 'order-6'
    await nextTick()
    const second = await channel('order-6')
    second.push('status', { state: 'refunded' })
    await vi.waitFor(() => expect(stream.data.value).toEqual({ state: 'refunded' }))
    expect(requests).toEqual([
      { key: 'order-5', lastEventId: null },
      { key: 'order-6', lastEventId: null },
    ])
    first.push('status', { state: 'ignored' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(stream.data.value).toEqual({ state: 'refunded' })
  })

  it('opens only when asked with immediate: false, and closes with its scope', async () => {
    const { stream, scope } = setup('/api/events/order-7', { immediate: false })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(stream.status.value).toBe('idle')
    expect(requests).toEqual([])

    stream.open()
    await channel('order-7')
    await vi.waitFor(() => expect(stream.status.value).toBe('open'))
    scope.stop()
    expect(stream.status.value).toBe('closed')
  })
})
