import { createHmac, timingSafeEqual } from 'node:crypto'
import { ChannelClosedError, type ChannelRegistry } from '@kit/server'
import express, { type RequestHandler } from 'express'
import { orderKey, type OrderStatusEvent, type Orders } from './orders'

/** What the payment provider posts, signed with the webhook secret both sides share. */
export interface PaymentNotice {
  readonly orderId: string
  readonly status: 'paying' | 'paid' | 'failed'
}

export const SIGNATURE_HEADER = 'x-payment-signature'

/** HMAC-SHA256 of the raw body, hex: what the provider puts in `X-Payment-Signature`. */
export const signPayment = (body: string, secret: string): string =>
  createHmac('sha256', secret).update(body).digest('hex')

function signedBy(body: string, signature: string | undefined, secret: string): boolean {
  const expected = Buffer.from(signPayment(body, secret))
  const given = Buffer.from(signature ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function noticeOf(body: string): PaymentNotice | undefined {
  try {
    const { orderId, status } = JSON.parse(body) as Partial<PaymentNotice>
    const known = status === 'paying' || status === 'paid' || status === 'failed'
    return typeof orderId === 'string' && known ? { orderId, status } : undefined
  } catch {
    return undefined
  }
}

/**
 * `POST /webhooks/payments`: the shop's own webhook. It updates the order, then pushes the status to the
 * customer's browser with `registry.send`, in process, as the source system's payment callback did.
 */
export function paymentWebhook(deps: {
  readonly orders: Orders
  readonly registry: ChannelRegistry
  readonly secret: string
}): RequestHandler[] {
  const { orders, registry, secret } = deps
  // The signature covers the exact bytes, so the body is read as text and parsed only once it is verified.
  const rawBody = express.text({ type: 'application/json' })
  const handle: RequestHandler = async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : ''
    if (!signedBy(body, req.get(SIGNATURE_HEADER), secret)) {
      res.status(401).json({ error: 'bad signature' })
      return
    }
    const notice = noticeOf(body)
    const order = notice && orders.get(notice.orderId)
    if (!notice || !order) {
      res.status(notice ? 404 : 400).json({ error: notice ? 'no such order' : 'not a payment notice' })
      return
    }
    order.status = notice.status
    const key = orderKey(order.id)
    const event: OrderStatusEvent = { orderId: order.id, status: notice.status }
    try {
      await registry.send(key, 'status', event)
      if (notice.status === 'failed') await registry.complete(key)
    } catch (err) {
      // Providers resend notices; once the customer's stream has ended there is nobody left to tell.
      if (!(err instanceof ChannelClosedError)) throw err
    }
    res.json({ received: true })
  }
  return [rawBody, handle]
}
