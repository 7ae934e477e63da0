import OpenAI, { type ClientOptions } from 'openai'
import { fetch as undiciFetch } from 'undici'
import type { OpenAIInstanceConfig } from '../../config/chat'
import { keyFingerprint } from '../keys/fingerprint'
import { KeyPool } from '../keys/key-pool'
import { checkProxy, proxyDispatcher } from '../proxy/agents'
import { proxyFor } from '../proxy/resolve'

export interface OpenAIClients {
  /** One client per key, taking turns; a refused key leaves the rotation for a while. */
  readonly keys: KeyPool<OpenAI>
  /** A client with the admin key, for the organisation endpoints. */
  readonly admin: OpenAI | undefined
  close(): Promise<void>
}

/**
 * One SDK client per key. The SDK's own retries are off (`maxRetries: 0`): the provider retries itself so
 * that `insufficient_quota` is never retried and `retry.attempts` bounds every path. A proxy goes through
 * undici's agents with undici's own `fetch`, since a dispatcher must come from the same undici as the fetch.
 */
export function createOpenAIClients(config: OpenAIInstanceConfig, env: NodeJS.ProcessEnv): OpenAIClients {
  const proxy = proxyFor(config.baseUrl, config.proxy, env)
  const dispatcher = proxy ? proxyDispatcher(checkProxy(proxy, config.name)) : undefined
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
  return {
    keys: new KeyPool(
      config.apiKeys.map((key) => ({ id: keyFingerprint(key), value: client(key) })),
      config.keyProbe,
    ),
    admin: config.adminKey === undefined ? undefined : client(config.adminKey),
    close: async () => {
      await dispatcher?.close()
    },
  }
}
