import { useEventStream } from '@kit/vue-chat'
import { ref, shallowRef } from 'vue'
import { network } from '../network/playground-network'
import type { PaymentEvents, PaymentOutcome, PaymentStatus } from './payment-status'

export interface TimelineEntry extends PaymentStatus {
  /** The event's id on the channel: a resumed stream that repeated one would show it twice. */
  eventId: string | undefined
}

/** Creates a demo payment and follows its channel; every `status` event lands on the timeline as it came. */
export function usePayment() {
  const timeline = ref<TimelineEntry[]>([])
  const failure = shallowRef<string>()
  // #region snippet
  const channelUrl = ref<string>()
  const stream = useEventStream<PaymentEvents>(channelUrl, {
    events: ['status'],
    fetch: network.fetch, // the playground's droppable network; an app leaves it out
  })
  stream.on('status', (payment, event) => timeline.value.push({ ...payment, eventId: event.id }))

  async function pay(outcome: PaymentOutcome): Promise<void> {
    const response = await fetch('/api/demo/payments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1999, currency: 'EUR', ...(outcome === 'random' ? {} : { outcome }) }),
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const { key, token } = await response.json()
    channelUrl.value = `/api/events/${key}?token=${encodeURIComponent(token)}`
  }
  // #endregion

  async function start(outcome: PaymentOutcome): Promise<void> {
    timeline.value = []
    failure.value = undefined
    try {
      await pay(outcome)
    } catch (error) {
      failure.value = `Could not create the payment: ${error instanceof Error ? error.message : String(error)}`
    }
  }

  return { timeline, failure, start, stream }
}
