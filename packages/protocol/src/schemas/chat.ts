import { z } from 'zod'
import { usageSchema } from './events'
import { storedPartSchema } from './parts'

export const chatOptionsSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  n: z.number().int().min(1).max(10).optional(),
})
export type ChatOptions = z.infer<typeof chatOptionsSchema>

/** `POST /api/chat` and `POST /api/chat/completions` */
export const chatRequestSchema = z.object({
  conversationId: z.string().min(1).max(128).optional(),
  prompt: z.string().min(1).max(100_000),
  provider: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(128).optional(),
  template: z.string().min(1).max(64).optional(),
  templateArgs: z.record(z.string(), z.string().max(1000)).optional(),
  options: chatOptionsSchema.optional(),
})
export type ChatRequest = z.infer<typeof chatRequestSchema>

/** `POST /api/chat/completions` answer. */
export const completionResponseSchema = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  provider: z.string(),
  model: z.string(),
  choices: z.array(
    z.object({ index: z.number().int(), content: z.string(), finishReason: z.string().nullable() }),
  ),
  usage: usageSchema.optional(),
})
export type CompletionResponse = z.infer<typeof completionResponseSchema>

export const chatRoleSchema = z.enum(['system', 'user', 'assistant'])
export type ChatRole = z.infer<typeof chatRoleSchema>

/**
 * How far a saved answer got: unset when it finished; `streaming` while it is being generated (its text is
 * the last checkpoint); `interrupted` when it stopped before finishing (a crash, a lost bus, a failure).
 */
export const savedStatusSchema = z.enum(['streaming', 'interrupted'])
export type SavedStatus = z.infer<typeof savedStatusSchema>

export const storedMessageSchema = z.object({
  id: z.string(),
  role: chatRoleSchema,
  content: z.string(),
  createdAt: z.string(),
  provider: z.string().optional(),
  model: z.string().optional(),
  status: savedStatusSchema.optional(),
  /** v1.1: the answer's parts in order; `content` stays its text, for v1 readers. Absent = text only. */
  parts: z.array(storedPartSchema).optional(),
  /**
   * An answer asked with `n` > 1: every choice, in order. `content` and `parts` are those of `chosen`, the
   * one that continues the conversation (0 until the user picks another).
   */
  choices: z.array(z.object({ content: z.string(), parts: z.array(storedPartSchema).optional() })).optional(),
  chosen: z.number().int().nonnegative().optional(),
})
export type StoredMessage = z.infer<typeof storedMessageSchema>

export const conversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ConversationSummary = z.infer<typeof conversationSummarySchema>

export const conversationSchema = conversationSummarySchema.extend({
  messages: z.array(storedMessageSchema),
})
export type Conversation = z.infer<typeof conversationSchema>

/** `GET /api/conversations`: most recently updated first. */
export const conversationListSchema = z.object({ conversations: z.array(conversationSummarySchema) })
export type ConversationList = z.infer<typeof conversationListSchema>

/** `POST /api/chat/streams/:streamId/stop`: false when the answer had already ended. */
export const stopResponseSchema = z.object({ stopping: z.boolean() })
export type StopResponse = z.infer<typeof stopResponseSchema>

/** `GET /api/providers` */
export const providerInfoSchema = z.object({
  name: z.string(),
  /** 'openai', 'spark', 'demo', or the type of a provider an application plugged in. */
  type: z.string(),
  models: z.array(z.string()),
  defaultModel: z.string(),
  demo: z.boolean(),
})
export type ProviderInfo = z.infer<typeof providerInfoSchema>

export const providersResponseSchema = z.object({
  default: z.string(),
  providers: z.array(providerInfoSchema),
  templates: z.array(z.object({ name: z.string(), label: z.string(), args: z.array(z.string()) })),
})
export type ProvidersResponse = z.infer<typeof providersResponseSchema>

/** `POST /api/images` */
export const imageRequestSchema = z.object({
  prompt: z.string().min(1).max(4000),
  n: z.number().int().min(1).max(10).default(1),
  size: z
    .string()
    .regex(/^\d{3,4}x\d{3,4}$/, 'size is WIDTHxHEIGHT, e.g. 1024x1024')
    .default('1024x1024'),
  format: z.enum(['url', 'b64_json']).default('url'),
  provider: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(128).optional(),
})
export type ImageRequest = z.input<typeof imageRequestSchema>

export const imageResponseSchema = z.object({
  images: z.array(z.union([z.object({ url: z.string() }), z.object({ b64: z.string() })])),
})
export type ImageResponse = z.infer<typeof imageResponseSchema>

/** `GET /api/usage` */
export const usageRowSchema = z.object({
  day: z.string(),
  provider: z.string(),
  model: z.string(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalTokens: z.number().int(),
  requests: z.number().int(),
  costUsd: z.number(),
})
export type UsageRow = z.infer<typeof usageRowSchema>

export const usageReportSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  totals: z.object({
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    totalTokens: z.number().int(),
    requests: z.number().int(),
    costUsd: z.number(),
  }),
  days: z.array(usageRowSchema),
  organization: z.unknown().optional(),
})
export type UsageReport = z.infer<typeof usageReportSchema>

/** `GET /api/quota?provider&model`: what the caller has left of a model's quota today. */
export const quotaStatusSchema = z.object({
  model: z.string(),
  group: z.string(),
  /** Answers a day; null = unlimited. */
  daily: z.number().int().nullable(),
  used: z.number().int(),
  /** Bonus answers granted on top of the daily quota, spent once it is used up. */
  bonus: z.number().int(),
  /** Answers left today, bonus included; null = unlimited. */
  remaining: z.number().int().nullable(),
  /** ISO 8601: when the quota day turns over. */
  resetAt: z.string(),
})
export type QuotaStatus = z.infer<typeof quotaStatusSchema>

/** `POST /api/quotas/bonus` (publish secret): adds bonus answers; a negative amount takes some away. */
export const bonusGrantSchema = z.object({
  userId: z.string().min(1).max(256),
  model: z.string().min(1).max(128),
  amount: z.number().int().min(-1_000_000).max(1_000_000),
})
export type BonusGrant = z.infer<typeof bonusGrantSchema>
