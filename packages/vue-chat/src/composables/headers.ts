import type { RequestSpec } from '@kit/sse-client'

/** `headers` option: an object, `Headers`, or a (possibly async) function called per request, for tokens. */
export type HeadersOption = RequestSpec['headers']

/** The headers of `option`, with one more (`[name, value]`) set over them. */
export async function resolveHeaders(option: HeadersOption, extra?: [string, string]): Promise<Headers> {
  const headers = new Headers(typeof option === 'function' ? await option() : option)
  if (extra) headers.set(...extra)
  return headers
}
