import type { ProviderInfo } from '@kit/protocol'
import { demoInstanceSchema, type ProviderInstanceConfig } from '../config/chat'
import { createDemoProvider } from './demo/provider'
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
  close(): Promise<void>
}

export function createProvider(config: ProviderInstanceConfig): ChatProvider {
  switch (config.type) {
    case 'openai':
      return createOpenAIProvider(config)
    case 'spark':
      return createSparkProvider(config)
    case 'demo':
      return createDemoProvider(config)
  }
}

/** With nothing configured the kit still answers, from the offline demo. */
export function providersFromConfig(instances: readonly ProviderInstanceConfig[]): ChatProvider[] {
  const configs = instances.length > 0 ? instances : [demoInstanceSchema.parse({ type: 'demo' })]
  return configs.map(createProvider)
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
    close: async () => {
      await Promise.all([...byName.values()].map((p) => p.close?.()))
    },
  }
}
