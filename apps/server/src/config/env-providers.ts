/**
 * Provider instances from well-known variables, so a real model is one `OPENAI_API_KEY=… pnpm start` away.
 * They are added to the config file's instances; an instance of the same name in the file is replaced.
 */
export interface EnvProvider {
  readonly instance: Readonly<Record<string, unknown>> & { readonly name: string }
  /** Field of the instance → the variable it came from, to name it in errors. */
  readonly variables: Readonly<Record<string, string>>
}

export function providersFromEnv(env: NodeJS.ProcessEnv): EnvProvider[] {
  const providers: EnvProvider[] = []
  if (env.OPENAI_API_KEY) {
    providers.push({
      instance: {
        type: 'openai',
        name: 'openai',
        apiKeys: env.OPENAI_API_KEY,
        ...(env.OPENAI_BASE_URL ? { baseUrl: env.OPENAI_BASE_URL } : {}),
        // A number, or the schema names the variable; the proxy comes from HTTPS_PROXY as for every instance.
        ...(env.OPENAI_MAX_RETRIES ? { retry: { attempts: Number(env.OPENAI_MAX_RETRIES) } } : {}),
      },
      variables: {
        apiKeys: 'OPENAI_API_KEY',
        baseUrl: 'OPENAI_BASE_URL',
        'retry.attempts': 'OPENAI_MAX_RETRIES',
      },
    })
  }
  const { SPARK_APP_ID: appId, SPARK_API_KEY: apiKey, SPARK_API_SECRET: apiSecret } = env
  if (appId || apiKey || apiSecret) {
    providers.push({
      instance: {
        type: 'spark',
        name: 'spark',
        credentials: { appId: appId ?? '', apiKey: apiKey ?? '', apiSecret: apiSecret ?? '' },
      },
      variables: {
        'credentials.appId': 'SPARK_APP_ID',
        'credentials.apiKey': 'SPARK_API_KEY',
        'credentials.apiSecret': 'SPARK_API_SECRET',
      },
    })
  }
  return providers
}

/** The file's instances followed by the environment's, which replace file instances of the same name. */
export function withEnvProviders(
  fileProviders: unknown,
  fromEnv: readonly EnvProvider[],
): { providers: unknown[]; origins: Map<string, string> } {
  const names = new Set(fromEnv.map((p) => p.instance.name))
  const kept = (Array.isArray(fileProviders) ? fileProviders : []).filter(
    (p: { name?: unknown } | null) => !names.has(p?.name as string),
  )
  const origins = new Map<string, string>()
  fromEnv.forEach(({ variables }, i) => {
    for (const [field, variable] of Object.entries(variables)) {
      origins.set(`chat.providers.${kept.length + i}.${field}`, variable)
    }
  })
  return { providers: [...kept, ...fromEnv.map((p) => p.instance)], origins }
}
