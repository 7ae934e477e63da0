import { z } from 'zod'
import type { PartEvents } from './parts'

export const usageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
})
export type Usage = z.infer<typeof usageSchema>

/** `start`: first event of a chat answer. */
export const startDataSchema = z.object({
  streamId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
})
export type StartData = z.infer<typeof startDataSchema>

/** `message` of a chat answer: a text delta of choice `choice`. */
export const messageDeltaSchema = z.object({
  delta: z.string(),
  choice: z.number().int().nonnegative(),
})
export type MessageDelta = z.infer<typeof messageDeltaSchema>

export const doneDataSchema = z.object({
  reason: z.enum(['stop', 'length', 'complete', 'timeout', 'aborted']),
  usage: usageSchema.optional(),
})
export type DoneData = z.infer<typeof doneDataSchema>

/**
 * `error`: terminal. `discardPartial` tells the client to drop the partial answer it showed
 * (e.g. Spark 10014: the output failed moderation).
 */
export const errorDataSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    retriable: z.boolean(),
    discardPartial: z.boolean().optional(),
    provider: z.string().optional(),
    providerCode: z.union([z.string(), z.number()]).optional(),
    sid: z.string().optional(),
    /** Refusals by a limit: seconds until asking again can succeed (also the `Retry-After` header). */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** `quota_exceeded`: when the quota day turns over, ISO 8601. */
    resetAt: z.string().optional(),
  })
  .loose()
export type ErrorData = z.infer<typeof errorDataSchema>

/** The event map of a chat answer stream, for `createEventStream<ChatEvents>`; v1.1 adds the parts. */
export type ChatEvents = {
  start: StartData
  message: MessageDelta
  done: DoneData
  error: ErrorData
} & PartEvents

/** The events every channel may end with. */
export type ChannelEvents<App extends object = Record<string, unknown>> = App & {
  message: unknown
  done: DoneData
  error: ErrorData
}
