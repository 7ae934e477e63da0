import { backoffMs } from '@kit/protocol'
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_RETRY_MS, TERMINAL_EVENTS } from './defaults'
import { createParser } from './parser'
import { checkResponse } from './response-error'
import { StreamError } from './stream-error'
import type {
  DataDecoder,
  EventStream,
  EventStreamOptions,
  Finish,
  FinishReason,
  RequestSpec,
  ServerSentEvent,
  StreamState,
  TypedEvent,
} from './types'

type Listener<T> = (value: T) => void

const listen = <T>(set: Set<Listener<T>>, listener: Listener<T>) => (
  set.add(listener),
  () => void set.delete(listener)
)

// A throwing listener must neither break the read loop nor starve the others; it is rethrown on its own,
// as EventTarget reports listener errors.
const emit = <T>(set: Set<Listener<T>>, value: T) => {
  for (const listener of set)
    try {
      listener(value)
    } catch (error) {
      queueMicrotask(() => {
        throw error
      })
    }
}

const asError = (cause: unknown) =>
  cause instanceof StreamError ? cause : new StreamError('network', String(cause), { cause })

export function createEventStream<E extends object = Record<string, unknown>>(
  url: string | URL,
  options: EventStreamOptions = {},
): EventStream<E> {
  const {
    fetch: send = fetch,
    // JSON.parse ignores its second argument (the event) unless it is a function.
    decode = JSON.parse as unknown as DataDecoder,
    terminalEvents = TERMINAL_EVENTS,
    retry,
    idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
    pauseWhenHidden,
    lastEventId: resumeFrom = '',
    maxEventBytes,
    reconnect,
    signal,
    ...init
  } = options
  const {
    initialMs = DEFAULT_RETRY_MS,
    maxAttempts = retry === false ? 0 : Infinity,
    baseMs = initialMs,
    attempts = maxAttempts,
    maxMs = 30_000,
    factor,
    jitter,
  } = retry || {}
  const doc = pauseWhenHidden ? globalThis.document : undefined
  const events = new Set<Listener<TypedEvent<E>>>()
  const states = new Set<Listener<StreamState>>()
  const failures = new Set<Listener<StreamError>>()
  // Aborted when the stream ends: takes the stream's own listeners off `signal` and `document`.
  const life = new AbortController()
  let request: RequestSpec = { ...init, url }
  let state: StreamState = 'connecting'
  let lastEventId = resumeFrom
  let lastEvent: ServerSentEvent | undefined
  let base = baseMs
  let failed = 0
  let controller: AbortController | undefined
  let wake = () => {}
  let idle: ReturnType<typeof setTimeout> | 0 = 0
  let resolve: (finish: Finish) => void
  const finished = new Promise<Finish>((r) => (resolve = r))

  const setState = (next: StreamState) => state !== next && emit(states, (state = next))
  const closed = () => state == 'closed'
  // Only a GET may be dropped while hidden: resuming re-sends the request, and a POST would start new work.
  const hidden = () => doc?.hidden && /^(get)?$/i.test(request.method ?? '')
  const until = (start: (resume: () => void) => void) => Promise.race([new Promise<void>(start), finished])

  const end = (reason: FinishReason, event?: ServerSentEvent, error?: StreamError) => {
    if (closed()) return
    setState('closed')
    controller?.abort()
    life.abort()
    resolve({ reason, event, error })
  }
  const fail = (cause: unknown, reason: FinishReason = 'fatal') => {
    const error = asError(cause)
    error.fatal = true
    emit(failures, error)
    end(reason, undefined, error)
  }

  const parser = createParser({
    maxEventBytes,
    onRetry: (ms) => (base = ms),
    onId: (id) => (lastEventId = id),
    onError: fail,
    onEvent: (event) => {
      // close() from a listener, or a terminal event, ends delivery even within one chunk.
      if (closed()) return
      lastEvent = event
      failed = 0
      try {
        emit(events, {
          event: event.event,
          data: decode ? decode(event.data, event) : event.data,
          raw: event,
        } as TypedEvent<E>)
      } catch (cause) {
        emit(failures, new StreamError('decode', event.event, { cause }))
      }
      if (terminalEvents.includes(event.event)) end(event.event == 'error' ? 'error' : 'done', event)
    },
  })

  const run = async () => {
    let error: StreamError | undefined
    for (;;) {
      while (hidden() && !closed()) {
        setState('paused')
        await until((resume) => (wake = resume))
      }
      if (closed()) return
      // `controller` is set from the first request on.
      setState(controller ? 'reconnecting' : 'connecting')
      if (controller) {
        request = {
          ...request,
          ...(await reconnect?.({ attempt: failed, lastEventId, lastEvent, error, request })),
        }
        // close() inside the hook.
        if (closed()) return
      }
      const ac = (controller = new AbortController())
      const armIdle = () => {
        clearTimeout(idle)
        idle =
          idleTimeoutMs &&
          setTimeout(() => {
            error = new StreamError('idle', `${idleTimeoutMs} ms`)
            ac.abort()
          }, idleTimeoutMs)
      }
      error = undefined
      try {
        const { headers } = request
        const sent = new Headers(typeof headers == 'function' ? await headers() : headers)
        if (!sent.has('accept')) sent.set('accept', 'text/event-stream')
        // EventSource sends the id as UTF-8; a fetch header takes bytes as the code points 0-255.
        if (lastEventId)
          sent.set('last-event-id', String.fromCharCode(...new TextEncoder().encode(lastEventId)))
        armIdle()
        const response = await send(request.url, { ...request, headers: sent, signal: ac.signal })
        await checkResponse(response)
        parser.reset()
        setState('open')
        const reader = response.body!.getReader()
        // Aborting a fetch need not reach a body that is already streaming (mocked fetches, some polyfills).
        ac.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}))
        for (let read; !(read = await reader.read()).done; parser.feed(read.value)) armIdle()
        throw new StreamError('network', 'no terminal event')
      } catch (cause) {
        // An abort on purpose (close, pause) is no error; the idle timer sets its error before it aborts.
        if (!ac.signal.aborted) error = asError(cause)
      } finally {
        clearTimeout(idle)
        // Never two connections at once: this one is gone before the next starts.
        ac.abort()
      }
      if (closed() || !error) continue
      if (error.fatal || ++failed > attempts) return fail(error, error.fatal ? 'fatal' : 'retries-exhausted')
      const delay = (error.retryInMs ??= backoffMs(
        { attempts, baseMs: base, maxMs, factor, jitter },
        failed - 1,
      ))
      emit(failures, error)
      setState('reconnecting')
      await until((resume) => (idle = setTimeout(resume, delay)))
      clearTimeout(idle)
    }
  }

  if (signal?.aborted) end('aborted')
  else {
    signal?.addEventListener('abort', () => end('aborted'), life)
    doc?.addEventListener('visibilitychange', () => (hidden() ? controller?.abort() : wake()), life)
    run().catch(fail)
  }

  return {
    get state() {
      return state
    },
    get lastEventId() {
      return lastEventId
    },
    finished,
    on: (name, listener) => listen(events, (e) => e.event == name && listener(e.data as never, e.raw)),
    onStateChange: (listener) => listen(states, listener),
    onTransportError: (listener) => listen(failures, listener),
    close: () => end('closed'),
    async *[Symbol.asyncIterator]() {
      const queue: TypedEvent<E>[] = []
      let ping = () => {}
      const off = listen(events, (event) => (queue.push(event), ping()))
      try {
        while (queue[0] || !closed())
          if (queue[0]) yield queue.shift()!
          else await until((resume) => (ping = resume))
        const { error } = await finished
        if (error) throw error
      } finally {
        off()
      }
    },
  }
}
