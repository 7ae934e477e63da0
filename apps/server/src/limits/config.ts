import { z } from 'zod'

const isTimeZone = (name: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'an IANA time zone name, e.g. UTC or Asia/Shanghai' })

const perWindow = z.number().int().min(0)

/** Abuse limits of the answering routes; 0 turns a limit off. */
export const limitsConfigSchema = z
  .object({
    /** Answers one user may have under way at once (streamed, completions, images). */
    concurrentAnswers: z.number().int().min(0).default(3),
    rate: z
      .object({
        /** Answering requests per user and window. */
        perUser: perWindow.default(60),
        /** Answering requests per client address and window, whoever sends them. */
        perIp: perWindow.default(600),
        windowSeconds: z.number().int().min(1).max(86_400).default(60),
      })
      .prefault({}),
    /**
     * Anonymous users behind one client address share this many times one user's daily quota and
     * concurrent answers, so that a new cookie or `X-Kit-User` buys nothing; 0 turns the shared limit off.
     */
    anonymousPerIp: z.number().min(0).default(1),
  })
  .prefault({})
export type LimitsConfig = z.infer<typeof limitsConfigSchema>
