import {
  backoffMs,
  parseRetryAfter,
  type PublishResponse,
  type RetryPolicy,
  type TokenResponse,
} from '@kit/protocol'
import { PublishError, PublishFailure } from './publish-error'
import type { Publisher, PublisherOptions } from './types'

// 429 and the "try again" 5xx answers are the only server answers where no event was stored; a 500 may come
// after the event was appended, so retrying it could deliver twice.
const RETRIABLE_STATUS = new Set([429, 502, 503, 504])

// Failures where the request never left this process. A reset or a timeout may come after the server stored
// the event, so those are thrown, not retried: the caller decides, and nothing is delivered twice behind its back.
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

/** A client for services that push to the kit's server over HTTP with its publish secret. */
export function createPublisher(options: PublisherOptions): Publisher {
  const base = options.baseUrl.replace(/\/+$/, '')
  const { retry = {} } = options
  const policy: RetryPolicy = {
    attempts: retry.attempts ?? options.retries ?? 3,
    baseMs: retry.baseMs ?? options.retryDelayMs ?? 200,
    maxMs: retry.maxMs ?? options.maxRetryDelayMs ?? 10_000,
    ...(retry.factor === undefined ? {} : { factor: retry.factor }),
    jitter: retry.jitter ?? 'full',
  }
  const timeoutMs = options.timeoutMs ?? 10_000
  const doFetch = options.fetch ?? fetch

  async function attempt(path: string, body: unknown): Promise<unknown> {
    let response: Response
    let text: string
    try {
      response = await doFetch(base + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
      text = await response.text()
    } catch (cause) {
      throw unanswered(cause)
    }
    if (!response.ok) throw refused(response, text)
    try {
      return JSON.parse(text)
    } catch {
      const what = `${response.status} ${response.headers.get('content-type') ?? 'without a content type'}`
      throw new PublishError(
        response.status,
        PublishFailure.InvalidResponse,
        `${base + path} answered ${what}, not the kit's JSON: is baseUrl the kit's mount point?`,
        false,
      )
    }
  }

  function unanswered(cause: unknown): PublishError {
    if (cause instanceof Error && cause.name === 'TimeoutError') {
      const message = `no answer from ${base} within ${timeoutMs} ms`
      return new PublishError(0, PublishFailure.Timeout, message, false)
    }
    const code = networkCode(cause)
    const reason = code ?? (cause instanceof Error ? cause.message : String(cause))
    const message = `could not reach ${base}: ${reason}`
    return new PublishError(0, PublishFailure.Network, message, UNSENT.has(code ?? ''))
  }

  async function post<T>(path: string, body: unknown): Promise<T> {
    for (let attempts = 0; ; attempts++) {
      try {
        return (await attempt(path, body)) as T
      } catch (error) {
        if (!(error instanceof PublishError) || !error.retriable || attempts >= policy.attempts) throw error
        const wait = error.retryAfterMs ?? backoffMs(policy, attempts)
        if (wait > policy.maxMs) throw error
        await delay(wait)
      }
    }
  }

  const channel = (key: string) => `/api/events/${encodeURIComponent(key)}`
  const ended = async (path: string, body: unknown) =>
    (await post<{ ended?: unknown }>(path, body)).ended === true

  return {
    publish: (key, data, { event } = {}) => post<PublishResponse>(channel(key), { event, data }),
    complete: (key) => ended(`${channel(key)}/complete`, {}),
    error: (key, error = {}) => ended(`${channel(key)}/error`, error),
    mintToken: (key, ttlSeconds) => post<TokenResponse>('/api/events/tokens', { key, ttlSeconds }),
  }
}

function refused(response: Response, text: string): PublishError {
  const parsed = errorBodyOf(text)
  return new PublishError(
    response.status,
    parsed?.code ?? `http_${response.status}`,
    parsed?.message ?? (text.slice(0, 200) || response.statusText),
    RETRIABLE_STATUS.has(response.status),
    parseRetryAfter(response.headers.get('retry-after')),
  )
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

/** The kit's error body `{error: {code, message}}`, or nothing when the answer came from something else. */
function errorBodyOf(text: string): { code?: string; message?: string } | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string; message?: string } } | null)?.error
  } catch {
    return undefined
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
