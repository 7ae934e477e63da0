import express, { Router } from 'express'
import { orderKey, type Orders } from './orders'
import { SESSION_COOKIE, type Sessions } from './sessions'

/** The shop's own API: sign in, list and place orders. Nothing here knows about the kit but a URL. */
export function shopRoutes({ sessions, orders }: { sessions: Sessions; orders: Orders }): Router {
  const router = Router()
  router.use(express.json())

  // A real shop checks a password here; the example trusts the name it is given.
  router.post('/login', (req, res) => {
    const userId = (req.body as { userId?: unknown } | undefined)?.userId
    if (typeof userId !== 'string' || userId === '') {
      res.status(400).json({ error: 'userId is required' })
      return
    }
    const session = sessions.open(userId)
    res.cookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'lax' }).json({ session })
  })

  router.get(
    '/orders',
    sessions.signedIn((_req, res, user) => res.json({ orders: orders.of(user.id) })),
  )

  router.post(
    '/orders',
    sessions.signedIn((req, res, user) => {
      const amount = (req.body as { amount?: unknown } | undefined)?.amount
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
        res.status(400).json({ error: 'amount is a positive number of cents' })
        return
      }
      const order = orders.create(user.id, amount)
      // Same origin: the browser's EventSource sends the session cookie, and no subscribe token is needed.
      res.status(201).json({ order, events: `/kit/api/events/${orderKey(order.id)}` })
    }),
  )

  return router
}
