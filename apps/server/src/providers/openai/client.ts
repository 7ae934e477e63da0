import OpenAI, { type ClientOptions } from 'openai'
import { fetch as undiciFetch, ProxyAgent } from 'undici'
import type { OpenAIInstanceConfig } from '../../config/chat'
import { RoundRobin } from '../rotation'

export interface OpenAIClients {
  /** The client of the next key in turn. */
  next(): OpenAI
  /** A client with the admin key, for the organisation endpoints. */
  readonly admin: OpenAI | undefined
  close(): Promise<void>
}

/**
 * One SDK client per key. The SDK's own retries are off (`maxRetries: 0`): the provider retries itself so
 * that `insufficient_quota` is never retried and `retries` bounds every path. A proxy goes through undici's
 * `ProxyAgent` with undici's own `fetch`, since a dispatcher must come from the same undici as the fetch.
 */
export function createOpenAIClients(config: OpenAIInstanceConfig): OpenAIClients {
  const dispatcher = config.proxy ? new ProxyAgent(config.proxy) : undefined
  const transport: Pick<ClientOptions, 'fetch' | 'fetchOptions'> = dispatcher
    ? {
        fetch: undiciFetch as unknown as ClientOptions['fetch'],
        fetchOptions: { dispatcher } as unknown as ClientOptions['fetchOptions'],
      }
    : {}
  const client = (apiKey: string) =>
    new OpenAI({
      apiKey,
      baseURL: config.baseUrl,
      organization: config.organization ?? null,
      maxRetries: 0,
      ...transport,
    })
  const clients = new RoundRobin(config.apiKeys.map(client))
  return {
    next: () => clients.next(),
    admin: config.adminKey === undefined ? undefined : client(config.adminKey),
    close: async () => {
      await dispatcher?.close()
    },
  }
}
