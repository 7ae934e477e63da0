import { resolveHeaders, type HeadersOption } from './headers'

/** The base URL of the kit's HTTP API (`api`, default `/api`) without trailing slashes. */
export const apiBase = (api: string | undefined) => (api ?? '/api').replace(/\/+$/, '')

/** A JSON request to the kit's API (providers, history); rejects on an HTTP error status. */
export async function requestJson(
  options: { headers?: HeadersOption; fetch?: typeof fetch },
  url: string,
  method = 'GET',
): Promise<Response> {
  const response = await (options.fetch ?? globalThis.fetch)(url, {
    method,
    headers: await resolveHeaders(options.headers, ['accept', 'application/json']),
  })
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status}`)
  return response
}
