import { ErrorCode } from '@kit/protocol'
import { ProviderError } from './errors'
import type { ChatProvider, ProviderRequest } from './types'

export interface FallbackTarget {
  readonly provider: ChatProvider
  /** Unset: the request's model when the target offers it, else the target's default model. */
  readonly model?: string
}

/**
 * Worth asking another instance: it failed for reasons of its own (keys, quota, outage, rate limit), not
 * because of the request (invalid, blocked content), which another instance would refuse as well.
 */
function canFallOver(error: unknown): boolean {
  if (!(error instanceof ProviderError) || error.code === ErrorCode.ContentBlocked) return false
  return error.retriable || error.code === ErrorCode.ProviderAuth || error.code === ErrorCode.ProviderQuota
}

/** The request as the target gets it; undefined when the target cannot answer it (too many choices). */
function requestFor(target: FallbackTarget, request: ProviderRequest): ProviderRequest | undefined {
  if ((request.n ?? 1) > target.provider.maxChoices) return undefined
  const { provider } = target
  const model =
    target.model ?? (provider.models.includes(request.model) ? request.model : provider.defaultModel)
  return { ...request, model }
}

/**
 * `primary`, whose failures before any chunk was streamed go to the next target in order. Targets are asked
 * directly, so their own fallbacks do not chain.
 */
export function withFallback(primary: ChatProvider, targets: readonly FallbackTarget[]): ChatProvider {
  if (targets.length === 0) return primary
  const candidates = (request: ProviderRequest) =>
    [
      { provider: primary, request },
      ...targets.map((t) => ({ provider: t.provider, request: requestFor(t, request) })),
    ].filter((c): c is { provider: ChatProvider; request: ProviderRequest } => c.request !== undefined)

  return {
    ...primary,
    async *stream(request, signal) {
      const list = candidates(request)
      for (const [i, { provider, request: asked }] of list.entries()) {
        let yielded = false
        try {
          for await (const chunk of provider.stream(asked, signal)) {
            yielded = true
            yield chunk
          }
          return
        } catch (err) {
          if (yielded || signal.aborted || i === list.length - 1 || !canFallOver(err)) throw err
        }
      }
    },
    async complete(request, signal) {
      const list = candidates(request)
      for (let i = 0; ; i++) {
        const { provider, request: asked } = list[i]!
        try {
          return await provider.complete(asked, signal)
        } catch (err) {
          if (signal.aborted || i === list.length - 1 || !canFallOver(err)) throw err
        }
      }
    },
  }
}
