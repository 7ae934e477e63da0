import { z } from 'zod'
import { limitsConfigSchema, timeZoneSchema } from '../limits/config'
import { SPARK_MODELS } from '../providers/spark/domains'

/** Provider instance names appear in URLs and logs: keep them short and plain. */
const instanceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'names are 1 to 64 characters of A-Z, a-z, 0-9, "_", "." and "-"',
  )

/** One key or several: several are rotated round-robin, one request after the other. */
const keyList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((keys) => (typeof keys === 'string' ? keys.split(',').map((key) => key.trim()) : keys))
  .pipe(z.array(z.string().min(1)).min(1))

const backoffSchema = z
  .object({
    /** Delay before the first retry; doubled each time, with jitter on the upper half. */
    initialMs: z.number().int().min(0).default(500),
    maxMs: z.number().int().min(0).default(8_000),
  })
  .prefault({})

const instanceCommon = {
  name: instanceName,
  models: z.array(z.string().min(1)).min(1).optional(),
  defaultModel: z.string().min(1).optional(),
  /** Attempts after the first for failures worth retrying (the source system's default: 5). */
  retries: z.number().int().min(0).max(20).default(5),
  /** Longest wait for the provider's first byte and between two chunks of an answer. */
  timeoutMs: z.number().int().positive().default(60_000),
  backoff: backoffSchema,
  /** HTTP(S) proxy URL, e.g. `http://127.0.0.1:7890`. */
  proxy: z.url({ protocol: /^https?$/ }).optional(),
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

export const chatConfigSchema = z.object({
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
  moderation: z.object({ words: z.array(z.string().min(1)).default([]) }).prefault({}),
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
      /** SQLite file for history and usage; `:memory:` keeps nothing. */
      path: z.string().min(1).default('data/kit.db'),
    })
    .prefault({}),
  /** Limits of image models by name; merged over the built-in table. */
  images: z.object({ models: z.record(z.string(), imageModelLimitsSchema).default({}) }).prefault({}),
  auth: authConfigSchema,
})
export type ChatConfig = z.infer<typeof chatConfigSchema>
export type ChatConfigInput = z.input<typeof chatConfigSchema>
