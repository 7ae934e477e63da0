import OpenAI from 'openai'
import type { Moderation } from 'openai/resources/moderations'
import { mapOpenAIError } from '../providers/openai/errors'
import type { Moderator, StreamGuard } from './types'

export interface OpenAIModeratorOptions {
  readonly apiKey: string
  /** Default `https://api.openai.com/v1`. */
  readonly baseUrl?: string
  /** Default `omni-moderation-latest`. */
  readonly model?: string
  /** Flag only these categories (`violence`, `self-harm/intent`…); default: whatever OpenAI flags. */
  readonly categories?: readonly string[]
  /** Answer text sent per check (default 400 characters): each part waits for its verdict. */
  readonly segmentChars?: number
  /** Longest wait for one check (default 10 s); a check that fails ends the request with an error. */
  readonly timeoutMs?: number
}

/** Released text sent again in front of the next part, so a phrase cut in two is still read whole. */
const OVERLAP_CHARS = 100
const NAME = 'openai-moderation'

/**
 * OpenAI's moderation endpoint as a `Moderator`: the prompt is checked before any provider call, the
 * answer in parts of `segmentChars` (cut after whitespace) as it streams, each part held back until it
 * passes. A failure of the endpoint is a provider error (`provider_unavailable`, `provider_auth`…), never
 * a silent pass.
 */
export function createOpenAIModerator(options: OpenAIModeratorOptions): Moderator {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 10_000,
  })
  const model = options.model ?? 'omni-moderation-latest'
  const segmentChars = options.segmentChars ?? 400
  const only = options.categories && new Set(options.categories)

  const flaggedBy = (result: Moderation) =>
    Object.entries(result.categories)
      .filter(([category, flagged]) => flagged && (!only || only.has(category)))
      .map(([category]) => category)

  async function check(text: string): Promise<string | undefined> {
    if (text.trim() === '') return undefined
    const response = await client.moderations.create({ model, input: text }).catch((err: unknown) => {
      throw mapOpenAIError(NAME, err)
    })
    const categories = response.results.flatMap(flaggedBy)
    return categories.length > 0 ? `${NAME} flagged ${[...new Set(categories)].join(', ')}` : undefined
  }

  return {
    checkPrompt: check,
    stream(): StreamGuard {
      let pending = ''
      /** The end of the released text, sent again as context. */
      let context = ''
      const release = async (length: number) => {
        const part = pending.slice(0, length)
        const reason = await check(context + part)
        if (reason !== undefined) return { blocked: reason }
        pending = pending.slice(length)
        context = (context + part).slice(-OVERLAP_CHARS)
        return { text: part }
      }
      return {
        push(delta) {
          pending += delta
          if (pending.length < segmentChars) return Promise.resolve({ text: '' })
          // After the last whitespace past half a part, so a word is not cut in two.
          const half = Math.floor(segmentChars / 2)
          const space = pending.slice(half).search(/\s\S*$/)
          return release(space < 0 ? pending.length : half + space + 1)
        },
        flush: () => release(pending.length),
      }
    },
  }
}
