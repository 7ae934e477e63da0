import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { KitRoutes } from '../http/types'

export const paymentStatuses = ['created', 'paying', 'paid', 'failed'] as const
export type PaymentStatus = (typeof paymentStatuses)[number]

/** Data of each `status` event of the demo. */
export interface PaymentStatusEvent {
  readonly paymentId: string
  readonly status: PaymentStatus
  /** Minor units (cents). */
  readonly amount: number
  readonly currency: string
  readonly at: string
  readonly reason?: string
}

export const demoPaymentRequestSchema = z
  .object({
    amount: z.number().int().positive().max(100_000_000).default(1999),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
      .default('EUR'),
    /** Forces the outcome; otherwise one payment in five fails, so the demo shows both ends. */
    outcome: z.enum(['paid', 'failed']).optional(),
  })
  .prefault({})

export interface DemoPaymentOptions {
  /** Pause between two statuses. */
  readonly stepMs: number
}

/**
 * `POST /api/demo/payments`: creates a fake payment and answers `{key, token}`; the server then pushes
 * `status` events created → paying → paid (or failed) and completes the channel, as the source system's
 * payment callback did. `created` is sent before the answer, so it always beats the browser and shows
 * the replay of early sends.
 */
export const demoPaymentRoutes =
  ({ stepMs }: DemoPaymentOptions): KitRoutes =>
  (router, { registry, json, tokens, logger, onClose }) => {
    const timers = new Set<NodeJS.Timeout>()
    onClose(() => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    })

    const later = (ms: number, step: () => Promise<unknown>): void => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        step().catch((err: unknown) => logger.warn({ err }, 'demo payment step failed'))
      }, ms)
      timers.add(timer)
    }

    router.post('/api/demo/payments', json, async (req, res) => {
      const { amount, currency, outcome } = demoPaymentRequestSchema.parse(req.body)
      const paymentId = randomBytes(9).toString('base64url')
      const key = `pay_${paymentId}`
      const final: PaymentStatus = outcome ?? (Math.random() < 0.2 ? 'failed' : 'paid')
      const status = (s: PaymentStatus): PaymentStatusEvent => ({
        paymentId,
        status: s,
        amount,
        currency,
        at: new Date().toISOString(),
        ...(s === 'failed' ? { reason: 'card_declined' } : {}),
      })

      await registry.send(key, 'status', status('created'))
      later(stepMs, () => registry.send(key, 'status', status('paying')))
      later(2 * stepMs, async () => {
        await registry.send(key, 'status', status(final))
        await registry.complete(key)
      })
      logger.info({ key, outcome: final }, 'demo payment created')
      const { token, expiresAt } = tokens.mint(key)
      res.status(201).json({ key, token, expiresAt, paymentId })
    })
  }
