import type { ProviderInfo } from '@kit/protocol'
import { demoInstanceSchema, type ProviderInstanceConfig } from '../config/chat'
import { createDemoProvider } from './demo/provider'
import { withFallback } from './fallback'
import type { InstanceKeys } from './keys/types'
import { createOpenAIProvider } from './openai/provider'
import { createSparkProvider } from './spark/provider'
import type { ChatProvider } from './types'

/** The configured provider instances by name. */
export interface ProviderCatalog {
  /** The instance a request that names none goes to. */
  readonly defaultName: string
  find(name?: string): ChatProvider | undefined
  list(): readonly ChatProvider[]
  /** What `GET /api/providers` shows: names, types and models, never keys. */
  info(): ProviderInfo[]
  /** Health of every instance's keys, by fingerprint. */
  keys(): InstanceKeys[]
  close(): Promise<void>
}

/** `env`: where instances without a `proxy` of their own read `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. */
export function createProvider(
  config: ProviderInstanceConfig,
  env: NodeJS.ProcessEnv = process.env,
): ChatProvider {
  switch (config.type) {
    case 'openai':
      return createOpenAIProvider(config, env)
    case 'spark':
      return createSparkProvider(config, env)
    case 'demo':
      return createDemoProvider(config)
  }
}

/** With nothing configured the kit still answers, from the offline demo. Fallbacks are wired by name. */
export function providersFromConfig(
  instances: readonly ProviderInstanceConfig[],
  env: NodeJS.ProcessEnv = process.env,
): ChatProvider[] {
  const configs = instances.length > 0 ? instances : [demoInstanceSchema.parse({ type: 'demo' })]
  const created = new Map(configs.map((config) => [config.name, createProvider(config, env)]))
  return configs.map((config) =>
    withFallback(
      created.get(config.name)!,
      config.fallback.map(({ provider, ...rest }) => {
        const target = created.get(provider)
        if (!target) throw new Error(`${config.name}: the fallback ${provider} is not configured`)
        return { provider: target, ...rest }
      }),
    ),
  )
}

export function createProviderCatalog(
  providers: readonly ChatProvider[],
  defaultName?: string,
): ProviderCatalog {
  const byName = new Map<string, ChatProvider>()
  for (const provider of providers) {
    if (byName.has(provider.name)) throw new Error(`two provider instances are named ${provider.name}`)
    byName.set(provider.name, provider)
  }
  const fallback = defaultName ?? providers[0]?.name
  if (fallback === undefined || !byName.has(fallback)) {
    throw new Error(`the default provider ${fallback ?? '(none)'} is not configured`)
  }
  return {
    defaultName: fallback,
    find: (name = fallback) => byName.get(name),
    list: () => [...byName.values()],
    info: () =>
      [...byName.values()].map((p) => ({
        name: p.name,
        type: p.type,
        models: [...p.models],
        defaultModel: p.defaultModel,
        demo: p.demo,
      })),
    keys: () =>
      [...byName.values()].flatMap((p) =>
        p.keys ? [{ provider: p.name, type: p.type, keys: p.keys() }] : [],
      ),
    close: async () => {
      await Promise.all([...byName.values()].map((p) => p.close?.()))
    },
  }
}
