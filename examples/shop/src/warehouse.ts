import { createPublisher } from '@kit/server/publisher'
import { orderKey, type OrderStatusEvent } from './orders'

/**
 * The warehouse is another service, in another process (or language: the README shows the same calls with
 * curl). It cannot call `registry.send`, so it tells the customer over the kit's HTTP API with the
 * publish secret, and ends the order's stream once the parcel has left.
 */
export function createWarehouse(options: { readonly kitUrl: string; readonly publishSecret: string }) {
  const kit = createPublisher({ baseUrl: options.kitUrl, secret: options.publishSecret })
  return {
    async ship(orderId: string): Promise<void> {
      const event: OrderStatusEvent = { orderId, status: 'shipped' }
      await kit.publish(orderKey(orderId), event, { event: 'status' })
      await kit.complete(orderKey(orderId))
    },
  }
}
