import {
  createEventStream,
  type EventStream,
  type EventStreamOptions,
  type ServerSentEvent,
} from '@kit/sse-client'
import type { ErrorData } from '@kit/protocol'
import {
  onScopeDispose,
  ref,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type Ref,
  type ShallowRef,
} from 'vue'
import type { StreamFailure } from '../types'
import { isClient } from '../utils/env'
import { serverFailure, transportFailure } from './failures'

export type EventStreamStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'error'

export interface UseEventStreamOptions<E extends object> extends Omit<
  EventStreamOptions,
  'signal' | 'lastEventId'
> {
  /** Open at once, and again whenever the url changes. Default true. */
  immediate?: boolean
  /** The events `data` and `event` follow. Default `['message']`. */
  events?: readonly (keyof E & string)[]
}

type Listener<E, K extends keyof E> = (data: E[K], event: ServerSentEvent) => void

export interface UseEventStreamReturn<E extends object> {
  /** Data of the last event of one of `options.events`. */
  data: ShallowRef<E[keyof E & string] | undefined>
  /** Its name. */
  event: Ref<(keyof E & string) | undefined>
  lastEventId: Ref<string>
  status: Ref<EventStreamStatus>
  /** The server's `error` event, or the transport's last failure (cleared when the connection opens). */
  error: ShallowRef<StreamFailure | undefined>
  /** (Re)connects; resumes after `lastEventId` unless the url changed. */
  open: () => void
  close: () => void
  /** Listens to an event by name, across reconnections and reopens; removed with the caller's scope. */
  on: <K extends keyof E & string>(name: K, listener: Listener<E, K>) => () => void
}

/**
 * Follows a keyed channel (`GET /api/events/:key`), e.g. the status of a payment:
 * `const { data, status } = useEventStream<{ status: Payment }>(() => `/api/events/${id}`, { events: ['status'] })`.
 */
export function useEventStream<E extends object = Record<string, unknown>>(
  url: MaybeRefOrGetter<string | URL | undefined>,
  options: UseEventStreamOptions<E> = {},
): UseEventStreamReturn<E> {
  const { immediate = true, events = ['message'], ...streamOptions } = options
  const data = shallowRef<E[keyof E & string]>()
  const event = ref<keyof E & string>()
  const lastEventId = ref('')
  const status = ref<EventStreamStatus>('idle')
  const error = shallowRef<StreamFailure>()
  const listeners = new Map<string, Set<Listener<E, never>>>()
  let stream: EventStream<E> | undefined
  let attached = new Set<string>()

  // `error` is always listened to, whether E names it or not: the listener stays untyped inside.
  function attach(current: EventStream<E>, name: string): void {
    if (attached.has(name)) return
    attached.add(name)
    current.on(name as keyof E & string, (value: unknown, raw) => {
      lastEventId.value = current.lastEventId
      if (name === 'error') error.value = serverFailure(value as ErrorData)
      if ((events as readonly string[]).includes(name)) {
        data.value = value as E[keyof E & string]
        event.value = name as keyof E & string
      }
      for (const listener of listeners.get(name) ?? []) listener(value as never, raw)
    })
  }

  function close(): void {
    if (!stream) return
    stream.close()
    stream = undefined
    status.value = 'closed'
  }

  function open(): void {
    close()
    const target = toValue(url)
    if (!target || !isClient) return
    const current = createEventStream<E>(target, { ...streamOptions, lastEventId: lastEventId.value })
    stream = current
    attached = new Set()
    status.value = 'connecting'
    error.value = undefined
    for (const name of new Set([...events, ...listeners.keys(), 'error'])) attach(current, name)
    // `closed` waits for `finished`, which tells a normal end from an error; a paused stream reconnects.
    current.onStateChange((state) => {
      if (stream !== current || state === 'closed') return
      status.value = state === 'paused' ? 'reconnecting' : state
      if (state === 'open') error.value = undefined
    })
    current.onTransportError((failure) => {
      if (stream === current) error.value = transportFailure(failure)
    })
    void current.finished.then((finish) => {
      if (stream !== current) return
      stream = undefined
      if (finish.error) error.value = transportFailure(finish.error)
      status.value = finish.reason === 'error' || finish.error ? 'error' : 'closed'
    })
  }

  function on<K extends keyof E & string>(name: K, listener: Listener<E, K>): () => void {
    const set = listeners.get(name) ?? new Set()
    listeners.set(name, set)
    set.add(listener as Listener<E, never>)
    if (stream) attach(stream, name)
    const off = () => void set.delete(listener as Listener<E, never>)
    onScopeDispose(off, true)
    return off
  }

  watch(
    () => String(toValue(url) ?? ''),
    () => {
      lastEventId.value = ''
      if (immediate || stream) open()
      else close()
    },
  )
  if (immediate) open()
  // `true`: called outside a scope, the caller closes it (no warning).
  onScopeDispose(close, true)

  return { data, event, lastEventId, status, error, open, close, on }
}
