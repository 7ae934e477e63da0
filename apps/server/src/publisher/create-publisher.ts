import type { PublishResponse, TokenResponse } from '@kit/protocol'
import { PublishError } from './publish-error'
import type { ChannelErrorInput, Publisher, PublisherOptions } from './types'

// 429 and the "try again" 5xx answers are the only server answers where no event was stored; a 500 may come
// after the event was appended, so retrying it could deliver twice.
const RETRIABLE_STATUS = new Set([429, 502, 503, 504])

// Failures where the request never left this process. A reset or a timeout may come after the server stored
// the event, so those are thrown, not retried: the caller decides, and nothing is delivered twice behind its back.
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

export function createPublisher(options: PublisherOptions): Publisher {
  const base = options.baseUrl.replace(/\/+$/, '')
  const retries = options.retries ?? 3
  const retryDelayMs = options.retryDelayMs ?? 200
  const timeoutMs = options.timeoutMs ?? 10_000
  const doFetch = options.fetch ?? fetch

  async function attempt(path: string, body: unknown): Promise<unknown> {
    let response: Response
    try {
      response = await doFetch(base + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      const code = networkCode(cause)
      const reason = code ?? (cause instanceof Error ? cause.message : String(cause))
      throw new PublishError(0, 'network_error', `could not reach ${base}: ${reason}`, UNSENT.has(code ?? ''))
    }
    const text = await response.text()
    if (response.ok) return text ? JSON.parse(text) : undefined
    const parsed = parseError(text)
    throw new PublishError(
      response.status,
      parsed?.code ?? `http_${response.status}`,
      parsed?.message ?? (text.slice(0, 200) || response.statusText),
      RETRIABLE_STATUS.has(response.status),
      retryAfterMs(response.headers.get('retry-after')),
    )
  }

  async function post<T>(path: string, body: unknown): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return (await attempt(path, body)) as T
      } catch (error) {
        if (!(error instanceof PublishError) || !error.retriable || n >= retries) throw error
        await delay(error.retryAfterMs ?? Math.random() * retryDelayMs * 2 ** n)
      }
    }
  }

  const channel = (key: string) => `/api/events/${encodeURIComponent(key)}`

  return {
    publish: (key, data, { event } = {}) => post<PublishResponse>(channel(key), { event, data }),
    complete: async (key) => void (await post(`${channel(key)}/complete`, {})),
    error: async (key, error: ChannelErrorInput = {}) => void (await post(`${channel(key)}/error`, error)),
    mintToken: (key, ttlSeconds) => post<TokenResponse>('/api/events/tokens', { key, ttlSeconds }),
  }
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

function parseError(text: string): { code?: string; message?: string } | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string; message?: string } }).error
  } catch {
    return undefined
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
