import { z } from 'zod'
import { ToolErrorCode } from '../constants'

// Protocol v1.1: an answer is made of parts. Text still arrives as `message` events; the other parts
// have events of their own, so a v1 client that ignores unknown events shows the text unchanged.
// Every part event names its `choice`; tool events name their call with `id`.

const choice = z.number().int().nonnegative()
/** A tool call's id, as the provider gave it or as the server made it up; unique within its answer. */
const callId = z.string().min(1).max(256)
/** A tool's name, as models are told to call it. */
export const toolNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1 to 64 characters of A-Z, a-z, 0-9, "_" and "-"')

/** `reasoning`: a delta of the model's reasoning, shown apart from the answer's text. */
export const reasoningDeltaSchema = z.object({ delta: z.string(), choice })
export type ReasoningDelta = z.infer<typeof reasoningDeltaSchema>

/** `tool.input`: a delta of a call's arguments (JSON text) as the model writes them. */
export const toolInputDeltaSchema = z.object({ choice, id: callId, name: toolNameSchema, delta: z.string() })
export type ToolInputDelta = z.infer<typeof toolInputDeltaSchema>

/**
 * `tool.call`: the model's call is complete. `input` is the arguments parsed, or their raw text when they are
 * not JSON. With `needsApproval` the answer waits for the user's decision (`POST …/tools/:id/approval`).
 */
export const toolCallSchema = z.object({
  choice,
  id: callId,
  name: toolNameSchema,
  input: z.unknown(),
  needsApproval: z.boolean(),
})
export type ToolCall = z.infer<typeof toolCallSchema>

/** `tool.approval`: the user approved or denied a call; a call left waiting too long is denied (`timeout`). */
export const toolApprovalSchema = z.object({
  choice,
  id: callId,
  approved: z.boolean(),
  reason: z.string().max(1000).optional(),
})
export type ToolApproval = z.infer<typeof toolApprovalSchema>

/** `tool.running`: the server started running the tool. */
export const toolRunningSchema = z.object({ choice, id: callId })
export type ToolRunning = z.infer<typeof toolRunningSchema>

/** `tool.result`: what the tool returned (any JSON value); it goes back to the model. */
export const toolResultSchema = z.object({ choice, id: callId, output: z.unknown() })
export type ToolResult = z.infer<typeof toolResultSchema>

/** `tool.error`: the call gave no result; the model is told why (`message`), the user sees it too. */
export const toolErrorSchema = z.object({
  choice,
  id: callId,
  code: z.enum(Object.values(ToolErrorCode) as [ToolErrorCode, ...ToolErrorCode[]]),
  message: z.string(),
})
export type ToolError = z.infer<typeof toolErrorSchema>

/** `[start, end)` of a choice's text in UTF-16 code units, as its `message` deltas delivered it. */
export const textRangeSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
})
export type TextRange = z.infer<typeof textRangeSchema>

/**
 * `source`: a document the answer draws on. Clients number sources in order of arrival per choice and link
 * them from the text ranges in `cites`. Only `http:` and `https:` URLs are shown as links.
 */
export const sourceSchema = z.object({
  choice,
  id: z.string().min(1).max(256),
  url: z.string().max(4096),
  title: z.string().max(1000).optional(),
  snippet: z.string().max(4000).optional(),
  cites: z.array(textRangeSchema).max(100).optional(),
})
export type Source = z.infer<typeof sourceSchema>

/** `POST /api/chat/streams/:streamId/tools/:callId/approval` */
export const toolApprovalRequestSchema = z.object({
  approved: z.boolean(),
  reason: z.string().max(1000).optional(),
})
export type ToolApprovalRequest = z.infer<typeof toolApprovalRequestSchema>

/** False when the call was not waiting for a decision (decided already, timed out, or its answer ended). */
export const toolApprovalResponseSchema = z.object({ accepted: z.boolean() })
export type ToolApprovalResponse = z.infer<typeof toolApprovalResponseSchema>

/** The events of protocol v1.1 beside `message`, for `createEventStream<ChatEvents>`. */
export type PartEvents = {
  reasoning: ReasoningDelta
  'tool.input': ToolInputDelta
  'tool.call': ToolCall
  'tool.approval': ToolApproval
  'tool.running': ToolRunning
  'tool.result': ToolResult
  'tool.error': ToolError
  source: Source
}

// Parts as history keeps them (`StoredMessage.parts`), in the order they arrived. A finished tool call
// keeps its input and its outcome; the deltas are not kept.

export const storedTextPartSchema = z.object({ type: z.literal('text'), text: z.string() })
export const storedReasoningPartSchema = z.object({
  type: z.literal('reasoning'),
  text: z.string(),
  /** How long the model reasoned, from its first reasoning delta to the first delta after it. */
  durationMs: z.number().int().nonnegative().optional(),
})
export const storedToolPartSchema = z.object({
  type: z.literal('tool'),
  id: callId,
  name: toolNameSchema,
  input: z.unknown(),
  /** Set when the call waited for the user; whether they approved. */
  approved: z.boolean().optional(),
  output: z.unknown().optional(),
  error: z.object({ code: toolErrorSchema.shape.code, message: z.string() }).optional(),
})
export const storedSourcePartSchema = sourceSchema
  .omit({ choice: true })
  .extend({ type: z.literal('source') })
export const storedPartSchema = z.discriminatedUnion('type', [
  storedTextPartSchema,
  storedReasoningPartSchema,
  storedToolPartSchema,
  storedSourcePartSchema,
])
export type StoredPart = z.infer<typeof storedPartSchema>
