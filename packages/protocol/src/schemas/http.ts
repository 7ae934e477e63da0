import { z } from 'zod'
import { CHANNEL_KEY_PATTERN, EVENT_NAME_PATTERN } from '../constants'

/** Every HTTP error body: `{ error: { code, message } }`. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }).loose(),
})
export type ApiError = z.infer<typeof apiErrorSchema>

export const channelKeySchema = z
  .string()
  .regex(CHANNEL_KEY_PATTERN, 'keys are 1 to 128 characters of A-Z, a-z, 0-9, "_" and "-"')

export const eventNameSchema = z
  .string()
  .regex(EVENT_NAME_PATTERN, 'event names match [a-z][a-z0-9._-]{0,63}')
  .refine((name) => name !== 'done' && name !== 'error' && name !== 'start', {
    message: 'done, error and start are reserved; use /complete and /error to end a channel',
  })

/** `POST /api/events/:key` */
export const publishRequestSchema = z.object({
  event: eventNameSchema.optional(),
  data: z.unknown().refine((d) => d !== undefined, { message: 'data is required' }),
})
export type PublishRequest = z.infer<typeof publishRequestSchema>

export const publishResponseSchema = z.object({
  id: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
})
export type PublishResponse = z.infer<typeof publishResponseSchema>

/** `POST /api/events/:key/error` */
export const channelErrorRequestSchema = z.object({
  code: z.string().min(1).max(64).default('internal'),
  message: z.string().max(2000).default('The server ended the channel with an error'),
  retriable: z.boolean().default(false),
})
export type ChannelErrorRequest = z.input<typeof channelErrorRequestSchema>

/** `POST /api/events/tokens` */
export const tokenRequestSchema = z.object({
  key: channelKeySchema,
  ttlSeconds: z
    .number()
    .int()
    .positive()
    .max(24 * 3600)
    .default(300),
})
export type TokenRequest = z.input<typeof tokenRequestSchema>

export const tokenResponseSchema = z.object({ token: z.string(), expiresAt: z.string() })
export type TokenResponse = z.infer<typeof tokenResponseSchema>
