import { z } from 'zod'
import { scaleConfigShape } from '../scale/config'
import { chatConfigSchema } from './chat'

const ms = z.number().int().min(0)

export const channelsConfigSchema = z
  .object({
    /** Interval of `: ping` comments; keep it below every proxy's and load balancer's idle timeout. */
    heartbeatMs: ms.default(15_000),
    /** `retry:` sent first on every stream: the client's reconnect delay. */
    retryMs: ms.default(1_000),
    /** Absolute lifetime of a channel; 0 = none. */
    timeoutMs: ms.default(10 * 60_000),
    /** How long sends to a channel nobody listens to are kept for a late subscriber. */
    earlySendTtlMs: ms.default(60_000),
    /** Unwritten bytes after which a subscriber that does not drain is dropped. */
    maxQueueBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    replay: z
      .object({
        maxEvents: z.number().int().min(1).default(2000),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(512 * 1024),
        /** How long an ended channel stays readable for a late reconnect. */
        graceMs: ms.default(60_000),
      })
      .prefault({}),
  })
  .prefault({})

export const serverConfigSchema = z.object({
  port: z.number().int().min(0).max(65_535).default(3000),
  /** Interface to listen on; unset = every interface. */
  host: z.string().min(1).optional(),
  /** Backends send it as `Authorization: Bearer …` to publish, end channels and mint tokens. */
  publishSecret: z.string().min(16, 'use at least 16 characters').optional(),
  /** Signs subscribe tokens (HMAC-SHA256). */
  tokenSecret: z.string().min(32, 'use at least 32 characters').optional(),
  tokens: z
    .object({
      /** Lifetime of tokens minted without an explicit TTL (demo payments, `POST /api/events/tokens`). */
      defaultTtlSeconds: z
        .number()
        .int()
        .positive()
        .max(24 * 3600)
        .default(300),
    })
    .prefault({}),
  cors: z
    .object({
      /** Origins allowed to call the API from a browser, e.g. `https://app.example.com`; `*` allows any. */
      origins: z.array(
        z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin is scheme://host[:port] or *'),
      ),
    })
    .prefault({ origins: [] }),
  http: z
    .object({
      /** Largest JSON body accepted (bytes); larger answers 413. */
      bodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .default(100 * 1024),
      /** Deepest nesting of arrays and objects accepted in a JSON body; deeper answers 400 `json_too_deep`. */
      maxJsonDepth: z.number().int().min(1).max(1000).default(64),
      /** Express `trust proxy`: hops of proxies whose X-Forwarded-* headers are believed. */
      trustProxy: z.number().int().min(0).default(0),
      /** Time a client has to send a request's headers; a socket that trickles them is closed (408). */
      headersTimeoutMs: z.number().int().min(1).default(10_000),
      /**
       * Time a client has to send a whole request, headers and body; it bounds the upload only, never
       * the response, so streams run past it. 0 = none.
       */
      requestTimeoutMs: ms.default(30_000),
      /** Connections one client address may hold open at once (0 = no cap); for clients that connect directly. */
      maxConnectionsPerIp: z.number().int().min(0).default(0),
    })
    .refine((http) => http.requestTimeoutMs === 0 || http.headersTimeoutMs <= http.requestTimeoutMs, {
      message: 'headersTimeoutMs cannot exceed requestTimeoutMs',
      path: ['headersTimeoutMs'],
    })
    .refine((http) => http.maxConnectionsPerIp === 0 || http.trustProxy === 0, {
      message:
        'behind a proxy (trustProxy) every connection comes from the proxy: cap connections there (nginx limit_conn)',
      path: ['maxConnectionsPerIp'],
    })
    .prefault({}),
  channels: channelsConfigSchema,
  demo: z
    .object({
      /** `POST /api/demo/payments`. */
      enabled: z.boolean().default(true),
      /** Pause between two payment statuses. */
      stepMs: ms.default(1_500),
    })
    .prefault({}),
  /** Directory of a built front end (the playground) served at `/`. */
  staticDir: z.string().min(1).optional(),
  log: z
    .object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
  chat: chatConfigSchema.prefault({}),
  /** Redis and PostgreSQL for several instances behind one load balancer (docs/scaling.md). */
  ...scaleConfigShape,
})

export type ServerConfig = z.infer<typeof serverConfigSchema>
export type ServerConfigInput = z.input<typeof serverConfigSchema>
export type ChannelsConfig = z.infer<typeof channelsConfigSchema>
