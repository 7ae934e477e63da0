import { ErrorCode } from '@kit/protocol'
import { createChannelRegistry, createKitRouter, KitError, type ChannelRegistry } from '@kit/server'
import express, { type Express } from 'express'
import { createOrders, type Orders } from './orders'
import { paymentWebhook } from './payment-webhook'
import { shopRoutes } from './routes'
import { createSessions, type Sessions } from './sessions'

export interface ShopOptions {
  /** The kit's publish secret: other services push to `/kit/api/events/…` with it. */
  readonly publishSecret: string
  /** Signs subscribe tokens; the shop itself authorises with its sessions instead. */
  readonly tokenSecret: string
  /** Shared with the payment provider, which signs its webhook calls with it. */
  readonly paymentWebhookSecret: string
  /** Pass one to share it (a Redis bus across instances, say); one in memory is created otherwise. */
  readonly registry?: ChannelRegistry
}

export interface Shop {
  readonly app: Express
  readonly registry: ChannelRegistry
  readonly sessions: Sessions
  readonly orders: Orders
  /** Stops the kit router, and the registry when the shop created it. */
  close(): Promise<void>
}

/** The existing shop, with the kit mounted under `/kit` and its order channels guarded by its own sessions. */
export function createShop(options: ShopOptions): Shop {
  const registry = options.registry ?? createChannelRegistry()
  const sessions = createSessions()
  const orders = createOrders()
  const kit = createKitRouter({
    registry,
    publishSecret: options.publishSecret,
    tokenSecret: options.tokenSecret,
    demo: false,
    // The shop needs the events API only: no chat routes, so no chat database either.
    routes: [],
    authorizeSubscribe(req, key) {
      const user = sessions.userOf(req)
      if (!user) throw new KitError(ErrorCode.Unauthorized, 'sign in first')
      return orders.byKey(key)?.userId === user.id
    },
  })

  const app = express()
  app.disable('x-powered-by')
  app.use(sessions.authenticate)
  app.use('/kit', kit)
  app.post(
    '/webhooks/payments',
    ...paymentWebhook({ orders, registry, secret: options.paymentWebhookSecret }),
  )
  app.use(shopRoutes({ sessions, orders }))

  return {
    app,
    registry,
    sessions,
    orders,
    async close() {
      await kit.close()
      if (!options.registry) await registry.close()
    },
  }
}
