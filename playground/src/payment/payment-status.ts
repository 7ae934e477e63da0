/** Data of the demo server's `status` events (`POST /api/demo/payments`). */
export interface PaymentStatus {
  paymentId: string
  status: 'created' | 'paying' | 'paid' | 'failed'
  /** Minor units (cents). */
  amount: number
  currency: string
  at: string
  reason?: string
}

/** The outcome the demo server is asked for; `random` lets it decline one payment in five. */
export type PaymentOutcome = 'paid' | 'failed' | 'random'

export type PaymentEvents = { status: PaymentStatus }
