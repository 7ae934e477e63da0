import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_RETRY_MS, TERMINAL_EVENTS } from './defaults'
import { iterate } from './iterate'
import { createParser } from './parser'
import { responseError } from './response-error'
import { StreamError } from './stream-error'
import type {
  EventStream,
  EventStreamOptions,
  Finish,
  FinishReason,
  RequestSpec,
  ServerSentEvent,
  StreamState,
  TypedEvent,
} from './types'

type Listener = (data: unknown, event: ServerSentEvent) => void

const listen = <T>(set: Set<T>, listener: T) => (set.add(listener), () => void set.delete(listener))

// A throwing listener must not break the read loop nor starve the other listeners; it is rethrown on its
// own, as EventTarget reports listener errors.
const emit = <A extends unknown[]>(listeners: Iterable<(...args: A) => void>, ...args: A) => {
  for (const listener of listeners)
    try {
      listener(...args)
    } catch (error) {
      queueMicrotask(() => {
        throw error
      })
    }
}

const asError = (cause: unknown) =>
  cause instanceof StreamError ? cause : new StreamError('network', String(cause), { cause })

export function createEventStream<E extends Record<string, unknown> = Record<string, unknown>>(
  url: string | URL,
  options: EventStreamOptions = {},
): EventStream<E> {
  const {
    fetch: send = fetch,
    decode = (text: string) => JSON.parse(text),
    terminalEvents = TERMINAL_EVENTS,
    retry,
    idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
    pauseWhenHidden,
    lastEventId: resumeFrom,
    maxEventBytes,
    reconnect,
    signal,
    ...init
  } = options
  const { initialMs = DEFAULT_RETRY_MS, maxMs = 30_000, factor = 2, maxAttempts = Infinity } = retry || {}
  const doc = pauseWhenHidden && typeof document == 'object' ? document : undefined
  const named = new Map<string, Set<Listener>>()
  const everyEvent = new Set<(event: TypedEvent<E>) => void>()
  const stateListeners = new Set<(state: StreamState) => void>()
  const errorListeners = new Set<(error: StreamError) => void>()
  let request: RequestSpec = { ...init, url }
  let state: StreamState = 'connecting'
  let lastEventId = resumeFrom ?? ''
  let lastEvent: ServerSentEvent | undefined
  let base = initialMs
  let failures = 0
  let controller: AbortController | undefined
  let idle: ReturnType<typeof setTimeout> | undefined
  let wake = () => {}
  let resolve: (finish: Finish) => void
  const finished = new Promise<Finish>((r) => (resolve = r))

  const setState = (next: StreamState) => state !== next && emit(stateListeners, (state = next))
  const report = (error: StreamError) => emit(errorListeners, error)
  const closed = () => state === 'closed'
  // Only a GET may be dropped while hidden: resuming re-sends the request, and a POST would start new work.
  const hidden = () => doc?.hidden && /^(get)?$/i.test(request.method ?? '')
  const until = (start: (resume: () => void) => void) => Promise.race([new Promise<void>(start), finished])

  const end = (reason: FinishReason, event?: ServerSentEvent, error?: StreamError) => {
    if (closed()) return
    setState('closed')
    controller?.abort()
    clearTimeout(idle)
    doc?.removeEventListener('visibilitychange', onVisibility)
    signal?.removeEventListener('abort', onAbort)
    resolve({ reason, event, error })
  }
  const fail = (error: StreamError, reason: FinishReason = 'fatal') => {
    error.fatal = true
    report(error)
    end(reason, undefined, error)
  }
  const onAbort = () => end('aborted')
  const onVisibility = () => (hidden() ? controller?.abort() : wake())

  const parser = createParser({
    maxEventBytes,
    onRetry: (ms) => (base = ms),
    onId: (id) => (lastEventId = id),
    onError: fail,
    onEvent: (event) => {
      // close() from a listener, or a terminal event, ends delivery even within one chunk.
      if (closed()) return
      lastEvent = event
      failures = 0
      const listeners = named.get(event.event)
      if (listeners?.size || everyEvent.size)
        try {
          const data = decode ? decode(event.data, event) : event.data
          emit(listeners ?? [], data, event)
          emit(everyEvent, { event: event.event, data, raw: event } as TypedEvent<E>)
        } catch (cause) {
          report(new StreamError('decode', event.event, { cause }))
        }
      if (terminalEvents.includes(event.event)) end(event.event === 'error' ? 'error' : 'done', event)
    },
  })

  // One attempt: resolves with why it ended, or undefined when it was aborted on purpose (close, pause).
  const connect = async () => {
    const ac = (controller = new AbortController())
    const armIdle = () => {
      clearTimeout(idle)
      if (idleTimeoutMs)
        idle = setTimeout(() => ac.abort(new StreamError('idle', `${idleTimeoutMs} ms`)), idleTimeoutMs)
    }
    try {
      const { url, headers, ...rest } = request
      const sent = new Headers(typeof headers == 'function' ? await headers() : headers)
      if (!sent.has('accept')) sent.set('accept', 'text/event-stream')
      // EventSource sends the id as UTF-8 bytes; a fetch header takes bytes as the code points 0-255.
      if (lastEventId)
        sent.set('last-event-id', String.fromCharCode(...new TextEncoder().encode(lastEventId)))
      armIdle()
      const response = await send(url, { ...rest, headers: sent, signal: ac.signal })
      const rejected = await responseError(response)
      if (rejected) throw rejected
      parser.reset()
      setState('open')
      const reader = response.body!.getReader()
      ac.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}))
      for (let read; !(read = await reader.read()).done;) {
        armIdle()
        parser.feed(read.value)
      }
      throw new StreamError('network', 'ended without a terminal event')
    } catch (cause) {
      const why = ac.signal.aborted ? ac.signal.reason : cause
      return why instanceof StreamError || !ac.signal.aborted ? asError(why) : undefined
    } finally {
      clearTimeout(idle)
      ac.abort()
    }
  }

  const run = async () => {
    for (let error: StreamError | undefined, first = true; ; first = false) {
      if (hidden()) {
        setState('paused')
        await until((resume) => (wake = resume))
      }
      if (closed()) return
      setState(first ? 'connecting' : 'reconnecting')
      if (!first) {
        const change = await reconnect?.({ attempt: failures, lastEventId, lastEvent, error, request })
        // The hook may have closed the stream (nothing left to resume): no request after that.
        if (closed()) return
        if (change) request = { ...request, ...change }
      }
      error = await connect()
      if (closed()) return
      if (!error) continue
      if (error.fatal) return fail(error)
      if (++failures > (retry === false ? 0 : maxAttempts)) return fail(error, 'retries-exhausted')
      // Full jitter: a random delay up to the exponential bound, so clients dropped together come back apart.
      const delay = (error.retryInMs ??= Math.random() * Math.min(maxMs, base * factor ** (failures - 1)))
      report(error)
      setState('reconnecting')
      let timer: ReturnType<typeof setTimeout> | undefined
      await until((resume) => (timer = setTimeout(resume, delay)))
      clearTimeout(timer)
    }
  }

  if (signal?.aborted) end('aborted')
  else {
    signal?.addEventListener('abort', onAbort)
    doc?.addEventListener('visibilitychange', onVisibility)
    run().catch((cause) => fail(asError(cause)))
  }

  return {
    get state() {
      return state
    },
    get lastEventId() {
      return lastEventId
    },
    finished,
    on: (name, listener) => {
      let listeners = named.get(name)
      if (!listeners) named.set(name, (listeners = new Set()))
      return listen(listeners, listener as Listener)
    },
    onStateChange: (listener) => listen(stateListeners, listener),
    onTransportError: (listener) => listen(errorListeners, listener),
    close: () => end('closed'),
    [Symbol.asyncIterator]: () => iterate((push) => listen(everyEvent, push), finished),
  }
}
