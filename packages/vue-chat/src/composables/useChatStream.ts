import type { ChatEvents, ChatOptions, ChatRequest, DoneData, StartData } from '@kit/protocol'
import { createEventStream, StreamError, type RetryOptions, type StreamState } from '@kit/sse-client'
import {
  computed,
  onScopeDispose,
  ref,
  shallowRef,
  toRef,
  toValue,
  type ComputedRef,
  type MaybeRefOrGetter,
  type Ref,
} from 'vue'
import type { ChatMessage, ChatStatus, MessageStatus, StreamFailure } from '../types'
import { localId } from '../utils/id'
import { now } from '../utils/now'
import { serverFailure, transportFailure } from './failures'
import { resolveHeaders, type HeadersOption } from './headers'
import { apiBase, requestJson } from './request'

export interface UseChatStreamOptions {
  /** Base URL of the kit's HTTP API. Default `/api`. */
  api?: MaybeRefOrGetter<string | undefined>
  /**
   * Where the messages live, e.g. a conversation of the store. The array is changed in place, so it
   * must be reactive. Default: a new array owned by this composable.
   */
  messages?: MaybeRefOrGetter<ChatMessage[]>
  /** The server's conversation id to continue; the server starts a new one when undefined. */
  conversationId?: MaybeRefOrGetter<string | undefined>
  provider?: MaybeRefOrGetter<string | undefined>
  model?: MaybeRefOrGetter<string | undefined>
  /** A prompt template of the server (`GET /api/providers` lists them) and its arguments. */
  template?: MaybeRefOrGetter<string | undefined>
  templateArgs?: MaybeRefOrGetter<Record<string, string> | undefined>
  chatOptions?: MaybeRefOrGetter<ChatOptions | undefined>
  /** An object, or a (possibly async) function called for every request, so a refreshed token is used. */
  headers?: HeadersOption
  fetch?: typeof fetch
  retry?: RetryOptions | false
  idleTimeoutMs?: number
  /**
   * Apply text at most this often, in milliseconds, batching the deltas in between; 0 applies every
   * delta at once. Markdown is rendered at most once per frame whatever this is.
   */
  throttleMs?: number
  onStart?: (data: StartData, message: ChatMessage) => void
  onFinish?: (message: ChatMessage, data: DoneData) => void
  onError?: (error: StreamFailure, message: ChatMessage) => void
}

export interface UseChatStreamReturn {
  messages: Ref<ChatMessage[]>
  /** The composer's text; `send()` without an argument sends and clears it. */
  input: Ref<string>
  status: Ref<ChatStatus>
  /** True while an answer is requested or arriving. */
  busy: ComputedRef<boolean>
  error: Ref<StreamFailure | undefined>
  /** The state of the answer's connection: `reconnecting` while a dropped stream is being resumed. */
  connection: Ref<StreamState | 'idle'>
  /** Sends `text` (default: `input`); false when there is nothing to send or an answer is under way. */
  send: (text?: string) => boolean
  /** Stops the answer: keeps what arrived and tells the server to stop generating. */
  stop: () => Promise<void>
  /** Asks again for the answer `messageId` (default: the last one), replacing it and what follows. */
  regenerate: (messageId?: string) => boolean
  /** Resumes the last answer left streaming (after a reload) from its last event; no text repeats. */
  resume: () => boolean
  clearError: () => void
}

interface Answer {
  message: ChatMessage
  close: () => void
  flush: () => void
}

/** Streams chat answers from the kit's server: `POST /api/chat`, resumed with `GET /api/chat/streams/:id`. */
export function useChatStream(options: UseChatStreamOptions = {}): UseChatStreamReturn {
  // A ref or getter as given; an array (or none: a new one) in a new ref.
  const messages = toRef(options.messages ?? []) as Ref<ChatMessage[]>
  const input = ref('')
  const status = ref<ChatStatus>('ready')
  const error = shallowRef<StreamFailure>()
  const connection = ref<StreamState | 'idle'>('idle')
  const busy = computed(() => status.value === 'submitted' || status.value === 'streaming')
  let answer: Answer | undefined

  const api = () => apiBase(toValue(options.api))
  const streamUrl = (streamId: string) => `${api()}/chat/streams/${encodeURIComponent(streamId)}`

  /** Ends the answer under way, `current`: every caller checked that it is. */
  function settle(current: Answer, messageStatus: MessageStatus): void {
    current.flush()
    current.close()
    current.message.status = messageStatus
    answer = undefined
  }

  function fail(current: Answer, failure: StreamFailure): void {
    const { message } = current
    if (answer !== current) return
    // An answer that started and then lost its stream for good was cut short, not refused.
    const cut = failure.code === 'resume_unavailable' || (failure.source === 'transport' && message.streamId)
    settle(current, cut ? 'interrupted' : 'error')
    if (failure.discardPartial) message.content = ''
    message.error = failure
    status.value = 'error'
    error.value = failure
    options.onError?.(failure, message)
  }

  function follow(message: ChatMessage, url: string, body?: string): void {
    const throttleMs = options.throttleMs ?? 0
    let lastId = Number(message.lastEventId ?? 0)
    let pending = ''
    let pendingId: string | undefined
    let timer: ReturnType<typeof setTimeout> | undefined

    const stream = createEventStream<ChatEvents>(url, {
      method: body ? 'POST' : 'GET',
      body,
      headers: () => resolveHeaders(options.headers, body ? ['content-type', 'application/json'] : undefined),
      lastEventId: message.lastEventId,
      fetch: options.fetch,
      retry: options.retry,
      idleTimeoutMs: options.idleTimeoutMs,
      reconnect: (ctx) => {
        if (message.streamId) return { url: streamUrl(message.streamId), method: 'GET', body: null }
        // Nothing to resume before `start`, and posting again would ask the question twice: failing
        // closes the stream, which cancels the attempt this hook precedes.
        fail(current, transportFailure(ctx.error ?? new StreamError('network', 'The connection dropped')))
      },
    })

    const current: Answer = {
      message,
      close: stream.close,
      flush() {
        clearTimeout(timer)
        timer = undefined
        // Vue triggers nothing for an assignment that changes nothing.
        message.content += pending
        pending = ''
        if (pendingId) message.lastEventId = pendingId
      },
    }
    answer = current

    stream.onStateChange((state) => {
      if (answer === current || answer === undefined) connection.value = state
    })
    stream.on('start', (data) => {
      message.serverId = data.messageId
      message.streamId = data.streamId
      status.value = 'streaming'
      options.onStart?.(data, message)
    })
    stream.on('message', (data, event) => {
      // The server replays after Last-Event-ID, so this only guards against a replay that overlaps.
      if (event.id) {
        const id = Number(event.id)
        if (id <= lastId) return
        lastId = id
        pendingId = event.id
      }
      if (data.choice === 0) pending += data.delta
      status.value = 'streaming'
      if (throttleMs <= 0) current.flush()
      else timer ??= setTimeout(current.flush, throttleMs)
    })
    stream.on('done', (data) => {
      if (answer !== current) return
      message.finishReason = data.reason
      if (data.usage) message.usage = data.usage
      settle(current, data.reason === 'aborted' ? 'stopped' : 'done')
      status.value = 'ready'
      options.onFinish?.(message, data)
    })
    stream.on('error', (data) => fail(current, serverFailure(data)))
    void stream.finished.then((finish) => {
      if (finish.error) fail(current, transportFailure(finish.error))
    })
  }

  function ask(prompt: string): void {
    const provider = toValue(options.provider)
    const model = toValue(options.model)
    const list = messages.value
    list.push({
      id: localId('msg'),
      role: 'assistant',
      content: '',
      createdAt: now(),
      status: 'streaming',
      provider,
      model,
    })
    const request: ChatRequest = {
      prompt,
      conversationId: toValue(options.conversationId),
      provider,
      model,
      template: toValue(options.template) || undefined,
      templateArgs: toValue(options.templateArgs),
      options: toValue(options.chatOptions),
    }
    error.value = undefined
    status.value = 'submitted'
    // Read back through the array: the element is the reactive proxy, the literal pushed was not.
    follow(list.at(-1)!, `${api()}/chat`, JSON.stringify(request))
  }

  function send(text?: string): boolean {
    const prompt = (text ?? input.value).trim()
    if (!prompt || busy.value) return false
    if (text === undefined) input.value = ''
    messages.value.push({
      id: localId('msg'),
      role: 'user',
      content: prompt,
      createdAt: now(),
    })
    ask(prompt)
    return true
  }

  async function stop(): Promise<void> {
    const current = answer
    if (!current) return
    settle(current, 'stopped')
    status.value = 'ready'
    const streamId = current.message.streamId
    if (!streamId) return
    try {
      await requestJson(options, `${streamUrl(streamId)}/stop`, 'POST')
    } catch {
      // The answer is stopped here either way; the server also stops once nobody listens.
    }
  }

  function regenerate(messageId?: string): boolean {
    if (busy.value) return false
    const list = messages.value
    const index = list.findLastIndex(
      (m) => m.role === 'assistant' && (messageId === undefined || m.id === messageId),
    )
    const prompt = list.slice(0, Math.max(index, 0)).findLast((m) => m.role === 'user')
    if (index < 0 || !prompt) return false
    list.splice(index)
    ask(prompt.content)
    return true
  }

  function resume(): boolean {
    if (busy.value) return false
    const message = messages.value.findLast((m) => m.role === 'assistant')
    if (!message || (message.status !== 'streaming' && message.status !== 'interrupted')) return false
    if (!message.streamId) {
      // Reloaded before the answer started: there is no stream to go back to.
      message.status = 'interrupted'
      return false
    }
    delete message.error
    error.value = undefined
    message.status = 'streaming'
    status.value = 'streaming'
    follow(message, streamUrl(message.streamId))
    return true
  }

  function clearError(): void {
    error.value = undefined
    if (status.value === 'error') status.value = 'ready'
  }

  // Leaving the page mid-answer keeps the message `streaming` with its stream id, so `resume()` can
  // pick it up when the component comes back. Outside a scope (`true`: no warning) nothing is disposed.
  onScopeDispose(() => {
    answer?.flush()
    answer?.close()
    answer = undefined
  }, true)

  return { messages, input, status, busy, error, connection, send, stop, regenerate, resume, clearError }
}
