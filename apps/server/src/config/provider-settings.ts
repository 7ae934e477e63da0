import { z } from 'zod'

/** Provider instance names appear in URLs and logs: keep them short and plain. */
export const instanceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'names are 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"',
  )

/** The kit's retry shape (`RetryPolicy` of @kit/protocol), every field optional: unset fields take defaults. */
export const retrySchema = z.object({
  /** Attempts after the first one. */
  attempts: z.number().int().min(0).max(20).optional(),
  /** Ceiling of the first retry's delay, multiplied by `factor` per retry. */
  baseMs: z.number().int().min(0).optional(),
  maxMs: z.number().int().min(0).optional(),
  factor: z.number().min(1).max(10).optional(),
  jitter: z.enum(['full', 'equal', 'none']).optional(),
})

/** A fully given retry policy, for waits that have no inherited defaults (Spark's 11202). */
export const fullRetrySchema = z.object({
  attempts: z.number().int().min(0).max(20),
  baseMs: z.number().int().min(0),
  maxMs: z.number().int().min(0),
  factor: z.number().min(1).max(10).default(2),
  jitter: z.enum(['full', 'equal', 'none']).default('none'),
})

const PROXY_PROTOCOL = /^(https?|socks5h?|socks)$/

/**
 * A proxy URL (`http://`, `https://`, `socks5://`, `socks5h://`, `socks://`), the source system's
 * `proxy-host`/`proxy-port`/`proxy-type` as an object, or `false` to ignore `HTTPS_PROXY`/`HTTP_PROXY`.
 */
export const proxySchema = z.union([
  z.literal(false),
  z.url({ protocol: PROXY_PROTOCOL, error: 'a proxy is an http(s):// or socks5(h):// URL' }),
  z
    .object({
      type: z.enum(['http', 'https', 'socks', 'socks5', 'socks5h']).default('http'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535),
      username: z.string().min(1).optional(),
      password: z.string().optional(),
    })
    .transform(({ type, host, port, username, password }) => {
      const url = new URL(
        `${type === 'socks' ? 'socks5' : type}://${host.includes(':') ? `[${host}]` : host}:${port}`,
      )
      if (username) url.username = encodeURIComponent(username)
      if (password) url.password = encodeURIComponent(password)
      return url.href.replace(/\/$/, '')
    }),
])
export type ProxySetting = z.infer<typeof proxySchema> | undefined

/** Another instance that answers when this one cannot, before any text was streamed. */
export const fallbackSchema = z
  .array(
    z.union([
      instanceName.transform((provider) => ({ provider })),
      z.object({ provider: instanceName, model: z.string().min(1).optional() }),
    ]),
  )
  .default([])
export type FallbackConfig = z.infer<typeof fallbackSchema>

/** When a key taken out of rotation is tried again: after `baseMs`, doubling per failed probe up to `maxMs`. */
export const keyProbeSchema = z
  .object({
    baseMs: z.number().int().min(0).default(30_000),
    maxMs: z.number().int().min(0).default(600_000),
  })
  .prefault({})
