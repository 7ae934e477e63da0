import { z } from 'zod'
import { limitsConfigSchema, timeZoneSchema } from '../limits/config'
import { SPARK_MODELS } from '../providers/spark/domains'
import {
  fallbackSchema,
  fullRetrySchema,
  instanceName,
  keyProbeSchema,
  proxySchema,
  retrySchema,
} from './provider-settings'

/** One key or several: several take turns; a key the provider refuses leaves the rotation for a while. */
const keyList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((keys) => (typeof keys === 'string' ? keys.split(',').map((key) => key.trim()) : keys))
  .pipe(z.array(z.string().min(1)).min(1))

const instanceCommon = {
  name: instanceName,
  models: z.array(z.string().min(1)).min(1).optional(),
  defaultModel: z.string().min(1).optional(),
  /** Retries of failures worth retrying (defaults: 5 attempts, 500 ms base, 8 s cap, equal jitter). */
  retry: retrySchema.optional(),
  /** @deprecated Use `retry.attempts`. */
  retries: z.number().int().min(0).max(20).optional(),
  /** @deprecated Use `retry.baseMs` and `retry.maxMs`. */
  backoff: z
    .object({ initialMs: z.number().int().min(0).optional(), maxMs: z.number().int().min(0).optional() })
    .optional(),
  /** Longest wait for the provider's first byte and between two chunks of an answer. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Unset: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` apply, minus `NO_PROXY`. */
  proxy: proxySchema.optional(),
  /** Instances that answer, in order, when this one fails before any text was streamed. */
  fallback: fallbackSchema,
  keyProbe: keyProbeSchema,
}

export const openaiInstanceSchema = z.object({
  type: z.literal('openai'),
  ...instanceCommon,
  apiKeys: keyList,
  /** Any OpenAI-compatible endpoint: vLLM, Ollama, LM Studio, Spark's HTTP API. */
  baseUrl: z.url().default('https://api.openai.com/v1'),
  organization: z.string().min(1).optional(),
  /** `sk-admin-…`: enables the organisation's figures from `/v1/organization/costs` in `/api/usage`. */
  adminKey: z.string().min(1).optional(),
  /** Image models this instance may use; empty disables images on it. */
  imageModels: z.array(z.string().min(1)).default(['dall-e-2', 'dall-e-3', 'gpt-image-1']),
})

export const sparkCredentialsSchema = z.object({
  appId: z.string().min(1),
  apiKey: z.string().min(1),
  apiSecret: z.string().min(1),
})

export const sparkInstanceSchema = z.object({
  type: z.literal('spark'),
  ...instanceCommon,
  /** Domains of Spark's table; each is asked on its own path. */
  models: z
    .array(z.enum(SPARK_MODELS.map((m) => m.domain) as [string, ...string[]]))
    .min(1)
    .optional(),
  /** One app's credentials or several, rotated like keys. */
  credentials: z
    .union([sparkCredentialsSchema, z.array(sparkCredentialsSchema).min(1)])
    .transform((c) => (Array.isArray(c) ? c : [c])),
  /** Scheme and host; the path comes from the model's domain. */
  url: z.url({ protocol: /^wss?$/ }).default('wss://spark-api.xf-yun.com'),
  /**
   * How 11202 (too many requests per second) is retried; unset: like any retry, with `retry`'s back-off.
   * The source system waited 30 s, three times: `{attempts: 3, baseMs: 30000, maxMs: 30000}`.
   */
  perSecondLimit: fullRetrySchema.optional(),
})

export const demoInstanceSchema = z.object({
  type: z.literal('demo'),
  ...instanceCommon,
  name: instanceName.default('demo'),
  /** Speed of the canned answer; realistic by default, fast in tests. */
  tokensPerSecond: z.number().positive().max(100_000).default(40),
})

export const providerInstanceSchema = z
  .discriminatedUnion('type', [openaiInstanceSchema, sparkInstanceSchema, demoInstanceSchema])
  .refine(
    (instance) =>
      !instance.defaultModel || !instance.models || instance.models.includes(instance.defaultModel),
    {
      message: 'defaultModel must be one of models',
      path: ['defaultModel'],
    },
  )
export type ProviderInstanceConfig = z.infer<typeof providerInstanceSchema>
export type OpenAIInstanceConfig = z.infer<typeof openaiInstanceSchema>
export type SparkInstanceConfig = z.infer<typeof sparkInstanceSchema>
export type DemoInstanceConfig = z.infer<typeof demoInstanceSchema>

export const templateSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  label: z.string().min(1).max(100),
  /** Placeholders `{{name}}` the prompt uses besides `{{input}}`, with their defaults. */
  args: z
    .array(z.object({ name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/), default: z.string().optional() }))
    .default([]),
  system: z.string().optional(),
  prompt: z.string().includes('{{input}}', { message: 'a template prompt must contain {{input}}' }),
})
export type TemplateConfig = z.infer<typeof templateSchema>

export const quotaGroupSchema = z.object({
  name: z.string().min(1).max(64),
  /** Model names; a trailing `*` matches a prefix (`gpt-4o*`). */
  models: z.array(z.string().min(1)).min(1),
  /** Answers per user and day. */
  daily: z.number().int().min(0),
})

export const priceSchema = z.object({
  inputPerMillion: z.number().min(0),
  outputPerMillion: z.number().min(0),
})
export type Price = z.infer<typeof priceSchema>

const imageSize = z.string().regex(/^\d{3,4}x\d{3,4}$/)
export const imageModelLimitsSchema = z.object({
  sizes: z.array(imageSize).min(1),
  maxN: z.number().int().min(1).max(10),
  /** gpt-image models answer base64 only. */
  formats: z
    .array(z.enum(['url', 'b64_json']))
    .min(1)
    .default(['url', 'b64_json']),
})
export type ImageModelLimits = z.infer<typeof imageModelLimitsSchema>

export const authConfigSchema = z
  .object({
    /** `anonymous`: a per-browser id (cookie or header); `jwt`: a bearer token signed with HS256 is required. */
    mode: z.enum(['anonymous', 'jwt']).default('anonymous'),
    jwtSecret: z.string().min(32, 'an HS256 secret needs at least 32 characters').optional(),
    issuer: z.string().optional(),
    audience: z.string().optional(),
    /** Longest lifetime a JWT may claim (`exp` minus `iat`, or minus now without `iat`). */
    maxLifetimeSeconds: z
      .number()
      .int()
      .positive()
      .default(24 * 3600),
    /** Leeway for the issuer's clock on `exp`, `nbf` and `iat`. */
    clockSkewSeconds: z.number().int().min(0).max(600).default(60),
    cookieName: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('kit_uid'),
    /** Which claims of a token name the user, their plan, and an administrator. */
    claims: z
      .object({
        userId: z.string().min(1).default('sub'),
        plan: z.string().min(1).default('plan'),
        admin: z.string().min(1).default('admin'),
      })
      .prefault({}),
    /**
     * The login check as a service: each new user of a valid token is POSTed there (`{ userId, plan,
     * claims }`) and let in only on a 2xx `{ "allow": true }` (which may name the `plan`).
     */
    authorizeUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** How long the service's answer for a user is reused. */
    authorizeCacheSeconds: z.number().int().min(0).default(60),
    /** Longest wait for the service; past it the request answers 503 `authorizer_unavailable`. */
    authorizeTimeoutMs: z.number().int().positive().default(5_000),
  })
  .refine((auth) => auth.mode !== 'jwt' || auth.jwtSecret !== undefined, {
    message: 'auth.mode "jwt" needs auth.jwtSecret',
    path: ['jwtSecret'],
  })
  .prefault({})
export type AuthConfig = z.infer<typeof authConfigSchema>

const openaiModerationSchema = z
  .object({
    /** The flag: OpenAI's `/v1/moderations` is asked only when this is true. */
    enabled: z.boolean().default(false),
    apiKey: z.string().min(1).optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1).default('omni-moderation-latest'),
    /** Flag only these categories; unset: whatever OpenAI flags. */
    categories: z.array(z.string().min(1)).optional(),
    /** Answer text per check: each part is held back until it passes. */
    segmentChars: z.number().int().min(50).default(400),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .refine((openai) => !openai.enabled || openai.apiKey !== undefined, {
    message: 'set apiKey to enable OpenAI moderation',
    path: ['apiKey'],
  })

const moderationSchema = z
  .object({
    words: z.array(z.string().min(1)).default([]),
    /** One word a line (`#` starts a comment), added to `words`; re-read when it changes. */
    wordsFile: z.string().min(1).optional(),
    /** How often the words file is checked for changes; 0 = only on `POST /api/moderation/reload`. */
    watchMs: z.number().int().min(0).default(2_000),
    /** Which words match with whitespace and punctuation between their letters. */
    ignoreSeparators: z.enum(['cjk', 'all', 'none']).default('cjk'),
    /** Accents are ignored, in text and words alike. */
    ignoreMarks: z.boolean().default(true),
    openai: openaiModerationSchema.optional(),
  })
  .prefault({})
export type ModerationConfig = z.infer<typeof moderationSchema>

export const chatConfigSchema = z
  .object({
    /** Empty: one demo instance, so the kit answers offline out of the box. */
    providers: z.array(providerInstanceSchema).default([]),
    /** Instance used when a request names none; the first configured one otherwise. */
    defaultProvider: instanceName.optional(),
    sessions: z
      .object({
        /** A conversation idle this long is forgotten; unset = never. */
        idleMinutes: z.number().positive().optional(),
        /**
         * A request that names no conversation continues the user's latest one while it is held (the
         * Spring starter's one conversation per user); off: such a request starts a new conversation.
         */
        continueLatest: z.boolean().default(false),
        /** Context sent with a prompt is trimmed, oldest first, to about this many tokens. */
        contextTokens: z.number().int().positive().default(4_000),
      })
      .prefault({}),
    streams: z
      .object({
        /** How long an answer keeps generating after its last listener left. */
        graceMs: z.number().int().min(0).default(30_000),
      })
      .prefault({}),
    /** Unset: translate, polish, summarise and explain-code. */
    templates: z.array(templateSchema).optional(),
    moderation: moderationSchema,
    quotas: z
      .object({
        groups: z.array(quotaGroupSchema).default([]),
        /** Answers per user and day for models in no group; unset = unlimited. */
        defaultDaily: z.number().int().min(0).optional(),
        /** IANA time zone whose midnight starts a new quota day, e.g. `Asia/Shanghai`. */
        timeZone: timeZoneSchema.default('UTC'),
      })
      .prefault({}),
    limits: limitsConfigSchema,
    /** USD per million tokens by model (a trailing `*` matches a prefix); merged over the built-in table. */
    prices: z.record(z.string(), priceSchema).default({}),
    storage: z
      .object({
        /**
         * SQLite file for history and usage. Default `:memory:`: a router or service embedded in another app
         * writes no file where it was not asked to; the `kit-server` bin defaults to `data/kit.db`.
         */
        path: z.string().min(1).default(':memory:'),
      })
      .prefault({}),
    history: z
      .object({
        /**
         * SQLite file journaling history and usage writes until their store takes them, so that answers
         * survive an outage of the store and a restart; unset = in memory (an outage only).
         */
        journalPath: z.string().min(1).optional(),
        /** A growing answer is saved at most this often (and at least this often while it grows). */
        checkpointMs: z.number().int().min(10).default(1_000),
        /** …or as soon as this many characters arrived since the last save. */
        checkpointChars: z.number().int().min(1).default(2_000),
        /**
         * An answer saved as `streaming` and not saved again for this long is shown as `interrupted`: its
         * server is gone. One under way is saved again every third of it even when no text arrives.
         */
        interruptedAfterMs: z.number().int().min(30).default(30_000),
        /** Back-off between attempts while the history store fails (the kit's shared retry vocabulary). */
        retry: z
          .object({
            baseMs: z.number().int().min(1).default(200),
            maxMs: z.number().int().min(1).default(30_000),
          })
          .prefault({}),
        /** An attempt the store has not answered within this long counts as failed. */
        attemptTimeoutMs: z.number().int().positive().default(5_000),
      })
      .refine((history) => history.interruptedAfterMs >= 3 * history.checkpointMs, {
        message: 'interruptedAfterMs must be at least 3 checkpoints long',
        path: ['interruptedAfterMs'],
      })
      .prefault({}),
    /** Limits of image models by name; merged over the built-in table. */
    images: z.object({ models: z.record(z.string(), imageModelLimitsSchema).default({}) }).prefault({}),
    auth: authConfigSchema,
  })
  .superRefine((config, ctx) => {
    const names = new Set(config.providers.map((p) => p.name))
    config.providers.forEach((instance, i) =>
      instance.fallback.forEach(({ provider }, j) => {
        if (names.has(provider) && provider !== instance.name) return
        ctx.addIssue({
          code: 'custom',
          path: ['providers', i, 'fallback', j],
          message: `fallback ${provider} must be another configured instance`,
        })
      }),
    )
  })
export type ChatConfig = z.infer<typeof chatConfigSchema>
export type ChatConfigInput = z.input<typeof chatConfigSchema>
