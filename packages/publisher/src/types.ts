import type { ChannelErrorRequest, PublishResponse, RetryPolicy, TokenResponse } from '@kit/protocol'

export interface PublisherOptions {
  /** Where the kit's server is, including any prefix it is mounted under, e.g. `https://shop.example.com/kit`. */
  readonly baseUrl: string
  /** The publish secret (`KIT_PUBLISH_SECRET`). */
  readonly secret: string
  /**
   * Retries of failures that are safe to retry, in the kit's retry shape. Defaults: `attempts` 3, `baseMs`
   * 200 (doubled per attempt), `jitter` `full`, `maxMs` 10 s, which is also the longest wait the server may
   * ask for with `Retry-After`: a longer one is thrown at once, with `retryAfterMs` set, so a publish never
   * hangs for minutes behind the caller's back.
   */
  readonly retry?: Partial<RetryPolicy>
  /** @deprecated Use `retry.attempts`. */
  readonly retries?: number
  /** @deprecated Use `retry.baseMs`. */
  readonly retryDelayMs?: number
  /** @deprecated Use `retry.maxMs`. */
  readonly maxRetryDelayMs?: number
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number
  readonly fetch?: typeof fetch
}

export interface Publisher {
  /** Pushes `data` as `event` (default `message`) to the channel `key`. */
  publish(key: string, data: unknown, options?: { readonly event?: string }): Promise<PublishResponse>
  /** Ends the channel with `done {reason: "complete"}`; false when it had already ended. */
  complete(key: string): Promise<boolean>
  /** Ends the channel with a terminal `error` event; false when it had already ended. */
  error(key: string, error?: ChannelErrorRequest): Promise<boolean>
  /** Mints a subscribe token for a browser, bound to `key` (the server's default lifetime when omitted). */
  mintToken(key: string, ttlSeconds?: number): Promise<TokenResponse>
}
