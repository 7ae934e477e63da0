import { ref, type Ref } from 'vue'

/**
 * What the browser's latest event-stream connection is doing, seen from the network: `dropped` means it
 * broke without the server ending it, and whatever reconnects next is the kit's client at work.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'dropped' | 'closed'

export interface PlaygroundNetwork {
  /** Pass it as the `fetch` option (or prop) of the kit, so its event streams go through here. */
  fetch: typeof fetch
  /** Cuts every live event stream the way a lost network does; answers how many were cut. */
  drop: () => number
  state: Ref<ConnectionState>
  /** Event streams being read right now. */
  live: Ref<number>
  /** The `Last-Event-ID` of the latest request that carried one: the client resuming after a drop. */
  lastResumeId: Ref<string | undefined>
}

const isEventStream = (response: Response) =>
  response.headers.get('content-type')?.startsWith('text/event-stream') === true

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError'

/**
 * A fetch whose event-stream bodies can be cut on demand. The reader gets the TypeError a lost network
 * gives and the request is cancelled, so the server sees the client go: the drop is real on both ends.
 */
export function createPlaygroundNetwork(): PlaygroundNetwork {
  const cuts = new Set<() => void>()
  const state = ref<ConnectionState>('idle')
  const live = ref(0)
  const lastResumeId = ref<string>()
  let latest = 0

  const track = (response: Response, attempt: number): Response => {
    const reader = response.body!.getReader()
    let ended = false
    let cut = () => {}
    const end = (next: ConnectionState) => {
      ended = true
      cuts.delete(cut)
      live.value = cuts.size
      if (attempt === latest) state.value = next
    }
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        cut = () => {
          end('dropped')
          controller.error(new TypeError('network connection lost (dropped in the playground)'))
          void reader.cancel()
        }
      },
      async pull(controller) {
        try {
          const { done, value } = await reader.read()
          if (ended) return
          if (!done) return controller.enqueue(value)
          end('closed')
          controller.close()
        } catch (error) {
          if (ended) return
          end(isAbort(error) ? 'closed' : 'dropped')
          controller.error(error)
        }
      },
      cancel(reason) {
        end('closed')
        return reader.cancel(reason)
      },
    })
    cuts.add(cut)
    live.value = cuts.size
    state.value = 'open'
    const { status, statusText, headers } = response
    return new Response(body, { status, statusText, headers })
  }

  const playgroundFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers)
    if (headers.get('accept') !== 'text/event-stream') return globalThis.fetch(input, init)
    const attempt = ++latest
    const resumeFrom = headers.get('last-event-id')
    if (resumeFrom) lastResumeId.value = resumeFrom
    state.value = 'connecting'
    try {
      const response = await globalThis.fetch(input, init)
      if (response.body && isEventStream(response)) return track(response, attempt)
      if (attempt === latest) state.value = 'closed'
      return response
    } catch (error) {
      if (attempt === latest) state.value = isAbort(error) ? 'closed' : 'dropped'
      throw error
    }
  }

  const drop = () => {
    const count = cuts.size
    for (const cut of [...cuts]) cut()
    return count
  }

  return { fetch: playgroundFetch, drop, state, live, lastResumeId }
}

/** One network for the whole playground: the chat and the payment page share it. */
export const network = createPlaygroundNetwork()
