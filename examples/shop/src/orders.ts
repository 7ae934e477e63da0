import { randomBytes } from 'node:crypto'

export type OrderStatus = 'created' | 'paying' | 'paid' | 'failed' | 'shipped'

export interface Order {
  readonly id: string
  readonly userId: string
  /** Minor units (cents). */
  readonly amount: number
  status: OrderStatus
}

/** The data of every `status` event the customer's browser receives. */
export interface OrderStatusEvent {
  readonly orderId: string
  readonly status: OrderStatus
}

/** The kit channel of an order: what the browser subscribes to and every status is sent to. */
export const orderKey = (orderId: string): string => `order-${orderId}`

/** The shop's order book; in memory here, the app's own database in real life. */
export interface Orders {
  create(userId: string, amount: number): Order
  get(orderId: string): Order | undefined
  /** The order a channel key belongs to. */
  byKey(key: string): Order | undefined
  of(userId: string): Order[]
}

export function createOrders(): Orders {
  const orders = new Map<string, Order>()
  const get = (orderId: string) => orders.get(orderId)
  return {
    create(userId, amount) {
      const order: Order = { id: randomBytes(6).toString('hex'), userId, amount, status: 'created' }
      orders.set(order.id, order)
      return order
    },
    get,
    byKey: (key) => (key.startsWith('order-') ? get(key.slice('order-'.length)) : undefined),
    of: (userId) => [...orders.values()].filter((order) => order.userId === userId),
  }
}
