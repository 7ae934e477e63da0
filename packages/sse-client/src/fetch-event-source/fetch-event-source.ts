// fetchEventSource with the contract of @microsoft/fetch-event-source 2.0.1, on this package's parser and
// with its fixes; every difference is listed in the README ("Migrating from @microsoft/fetch-event-source").
import { backoffMs } from '@kit/protocol'
import { DEFAULT_RETRY_MS } from '../defaults'
import { createParser } from '../parser'
import { checkResponse } from '../response-error'
import { StreamError } from '../stream-error'
import type { EventSourceMessage, FetchEventSourceInit } from './types'

export const EventStreamContentType = 'text/event-stream'
const MAX_RETRY_MS = 30_000

export function fetchEventSource(input: RequestInfo | URL, init: FetchEventSourceInit): Promise<void> {
  const {
    signal,
    headers: given,
    // The kit's classification instead of a content-type check alone: a 4xx, a 204 or a wrong type is fatal.
    onopen = checkResponse,
    onmessage,
    onclose,
    onerror,
    openWhenHidden,
    fetch: send = globalThis.fetch,
    ...rest
  } = init
  return new Promise<void>((resolve, reject) => {
    // An already-aborted signal never fires `abort`: the original would fetch and never settle.
    if (signal?.aborted) return resolve()
    const headers = new Headers(given)
    if (!headers.has('accept')) headers.set('accept', EventStreamContentType)
    const doc = !openWhenHidden && typeof document == 'object' ? document : undefined
    // Only a GET may be dropped while hidden: reopening re-sends the request, and a POST would start new work.
    const method = rest.method ?? (input instanceof Request ? input.method : 'GET')
    const pausable = /^get$/i.test(method)
    let controller: AbortController | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let retryInterval = DEFAULT_RETRY_MS
    let retryField: number | undefined
    let failures = 0
    let paused = false

    const parser = createParser({
      // At dispatch only. EventSource sends the id as UTF-8 bytes; a fetch header takes bytes as code points.
      onId: (id) =>
        id
          ? headers.set('last-event-id', String.fromCharCode(...new TextEncoder().encode(id)))
          : headers.delete('last-event-id'),
      onRetry: (ms) => (retryInterval = retryField = ms),
      // An event too large to buffer fails the connection like a network error would.
      onError: (error) => controller?.abort(error),
      onEvent: ({ event, data, id = '' }) => {
        failures = 0
        const message: EventSourceMessage = { id, event: event === 'message' ? '' : event, data }
        if (retryField !== undefined) message.retry = retryField
        retryField = undefined
        onmessage?.(message)
      },
    })

    const dispose = () => {
      doc?.removeEventListener('visibilitychange', onVisibility)
      signal?.removeEventListener('abort', onAbort)
      clearTimeout(timer)
      controller?.abort()
    }
    const onAbort = () => (dispose(), resolve())
    const onVisibility = () => {
      if (!pausable) return
      if (doc?.hidden) {
        paused = true
        clearTimeout(timer)
        controller?.abort()
      } else if (paused) {
        paused = false
        void create()
      }
    }

    const retry = (err: unknown) => {
      let interval: number | null | undefined | void
      try {
        interval = onerror?.(err)
      } catch (stop) {
        return (dispose(), reject(stop))
      }
      if (interval == null) {
        if (err instanceof StreamError && err.fatal) return (dispose(), reject(err))
        const backoff = backoffMs(
          { attempts: Infinity, baseMs: retryInterval, maxMs: MAX_RETRY_MS },
          failures++,
        )
        interval = err instanceof StreamError && err.retryInMs !== undefined ? err.retryInMs : backoff
      }
      timer = setTimeout(create, interval)
    }

    async function create() {
      // Never two connections at once: the previous request is aborted before the next starts.
      controller?.abort()
      const ac = (controller = new AbortController())
      try {
        const response = await send(input, { ...rest, headers, signal: ac.signal })
        await onopen(response)
        parser.reset()
        const reader = response.body!.getReader()
        ac.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}))
        for (let read; !(read = await reader.read()).done;) parser.feed(read.value)
        ac.signal.throwIfAborted()
        onclose?.()
        dispose()
        resolve()
      } catch (err) {
        const cause = ac.signal.aborted ? ac.signal.reason : err
        // Aborted on purpose (the signal, a hidden page): nothing to report.
        if (!ac.signal.aborted || cause instanceof StreamError) retry(cause)
      } finally {
        // Frees the connection when a callback threw mid-stream (the original left it open).
        ac.abort()
      }
    }

    signal?.addEventListener('abort', onAbort)
    doc?.addEventListener('visibilitychange', onVisibility)
    void create()
  })
}
