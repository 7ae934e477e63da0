import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ChannelEvents } from '@kit/protocol'
import { createEventStream } from '@kit/sse-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createShop, type Shop } from '../src/app'
import type { Order, OrderStatusEvent } from '../src/orders'
import { SIGNATURE_HEADER, signPayment, type PaymentNotice } from '../src/payment-webhook'
import { createWarehouse } from '../src/warehouse'

const PUBLISH_SECRET = 'shop-test-publish-secret'
const WEBHOOK_SECRET = 'shop-test-webhook-secret'

let shop: Shop
let server: Server
let url: string

beforeAll(async () => {
  shop = createShop({
    publishSecret: PUBLISH_SECRET,
    tokenSecret: 'shop-test-token-secret-0123456789abcdef',
    paymentWebhookSecret: WEBHOOK_SECRET,
  })
  server = createServer(shop.app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await shop.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

/** Signs in and returns the `Cookie` header the browser would send from then on. */
async function signIn(userId: string): Promise<string> {
  const cookie = (await postJson('/login', { userId })).headers.get('set-cookie')?.split(';')[0]
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

async function placeOrder(cookie: string): Promise<{ order: Order; events: string }> {
  const res = await postJson('/orders', { amount: 4999 }, { cookie })
  expect(res.status).toBe(201)
  return (await res.json()) as { order: Order; events: string }
}

/** The payment provider calling the shop's webhook. */
function notify(notice: PaymentNotice, secret = WEBHOOK_SECRET): Promise<Response> {
  const body = JSON.stringify(notice)
  return fetch(`${url}/webhooks/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayment(body, secret) },
    body,
  })
}

function watch(path: string, cookie: string) {
  const stream = createEventStream<ChannelEvents<{ status: OrderStatusEvent }>>(url + path, {
    headers: { cookie },
  })
  const statuses: string[] = []
  stream.on('status', (data) => void statuses.push(data.status))
  return { stream, statuses }
}

describe('the shop with the kit under /kit', () => {
  it("streams an order's statuses to its owner: from the shop's webhook in process, then from the warehouse over HTTP", async () => {
    const alice = await signIn('alice')
    const { order, events } = await placeOrder(alice)
    expect(events).toBe(`/kit/api/events/order-${order.id}`)
    // The payment provider is quicker than the browser: the kit keeps the status until it subscribes.
    expect((await notify({ orderId: order.id, status: 'paying' })).status).toBe(200)

    const { stream, statuses } = watch(events, alice)
    await expect.poll(() => statuses).toEqual(['paying'])
    await notify({ orderId: order.id, status: 'paid' })
    await expect.poll(() => statuses).toEqual(['paying', 'paid'])
    await createWarehouse({ kitUrl: `${url}/kit`, publishSecret: PUBLISH_SECRET }).ship(order.id)

    expect((await stream.finished).reason).toBe('done')
    expect(statuses).toEqual(['paying', 'paid', 'shipped'])
    const mine = (await (await fetch(`${url}/orders`, { headers: { cookie: alice } })).json()) as {
      orders: Order[]
    }
    expect(mine.orders).toEqual([{ ...order, status: 'paid' }])
  })

  it("lets the shop's sessions decide who may watch an order", async () => {
    const { events } = await placeOrder(await signIn('carol'))
    const bob = await signIn('bob')
    const answers = await Promise.all([
      fetch(url + events, { headers: { cookie: bob } }),
      fetch(url + events),
      fetch(`${url}/kit/api/events/order-000000000000`, { headers: { cookie: bob } }),
    ])
    expect(answers.map((res) => res.status)).toEqual([403, 401, 403])
    expect(await answers[1]?.json()).toEqual({ error: { code: 'unauthorized', message: 'sign in first' } })
    expect(shop.registry.stats().connections).toBe(0)
  })

  it('ends the stream on a failed payment and takes a resent notice calmly', async () => {
    const dave = await signIn('dave')
    const { order, events } = await placeOrder(dave)
    const { stream, statuses } = watch(events, dave)
    await expect.poll(() => shop.registry.stats().connections).toBe(1)
    expect((await notify({ orderId: order.id, status: 'failed' })).status).toBe(200)
    expect((await stream.finished).reason).toBe('done')
    expect(statuses).toEqual(['failed'])
    expect((await notify({ orderId: order.id, status: 'failed' })).status).toBe(200)
  })

  it('refuses webhook calls that are not signed, not a notice or for no order', async () => {
    const { order } = await placeOrder(await signIn('erin'))
    const answers = await Promise.all([
      notify({ orderId: order.id, status: 'paid' }, 'not-the-webhook-secret'),
      notify({ orderId: order.id, status: 'refunded' } as unknown as PaymentNotice),
      notify({ orderId: 'nope', status: 'paid' }),
    ])
    expect(answers.map((res) => res.status)).toEqual([401, 400, 404])
    expect(shop.orders.get(order.id)?.status).toBe('created')
  })

  it("keeps the shop's routes its own and mounts only the kit's events API", async () => {
    const [orders, health, demo, chat, tokens] = await Promise.all([
      fetch(`${url}/orders`),
      fetch(`${url}/kit/healthz`),
      postJson('/kit/api/demo/payments', {}),
      postJson('/kit/api/chat', { prompt: 'hi' }),
      postJson('/kit/api/events/tokens', { key: 'order-1' }, { authorization: `Bearer ${PUBLISH_SECRET}` }),
    ])
    expect(orders.status).toBe(401)
    expect(await orders.json()).toEqual({ error: 'sign in first' })
    expect([health.status, demo.status, chat.status, tokens.status]).toEqual([200, 404, 404, 201])
  })
})
