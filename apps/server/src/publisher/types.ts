import type { PublishResponse, TokenResponse } from '@kit/protocol'

export interface PublisherOptions {
  /** Where the kit's server is, including any prefix it is mounted under, e.g. `https://kit.example.com/kit`. */
  baseUrl: string
  /** The publish secret (`KIT_PUBLISH_SECRET`). */
  secret: string
  /** Attempts after the first for failures that are safe to retry (default 3). */
  retries?: number
  /** First back-off delay; doubled per attempt with full jitter (default 200 ms). */
  retryDelayMs?: number
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number
  fetch?: typeof fetch
}

export interface ChannelErrorInput {
  code?: string
  message?: string
  retriable?: boolean
}

export interface Publisher {
  /** Pushes `data` as `event` (default `message`) to the channel `key`. */
  publish(key: string, data: unknown, options?: { event?: string }): Promise<PublishResponse>
  /** Ends the channel with `done {reason: "complete"}`. */
  complete(key: string): Promise<void>
  /** Ends the channel with a terminal `error` event. */
  error(key: string, error?: ChannelErrorInput): Promise<void>
  /** Mints a subscribe token for a browser, bound to `key`. */
  mintToken(key: string, ttlSeconds?: number): Promise<TokenResponse>
}
