import type { RequestSpec } from '@kit/sse-client'

/** `headers` option: an object, `Headers`, or a (possibly async) function called per request, for tokens. */
export type HeadersOption = RequestSpec['headers']

export async function resolveHeaders(
  option: HeadersOption,
  extra?: Record<string, string>,
): Promise<Headers> {
  const headers = new Headers(typeof option === 'function' ? await option() : option)
  for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value)
  return headers
}
