/**
 * Provider instances from well-known variables, so a real model is one `OPENAI_API_KEY=… pnpm start` away.
 * They are added to the config file's instances; an instance of the same name in the file is replaced.
 */
export interface EnvProviders {
  readonly instances: readonly Record<string, unknown>[]
  /** Field of an instance → the variable it came from, to name it in errors. */
  readonly origins: ReadonlyMap<string, string>
}

export function providersFromEnv(env: NodeJS.ProcessEnv): EnvProviders {
  const instances: Record<string, unknown>[] = []
  const origins = new Map<string, string>()
  const add = (instance: Record<string, unknown>, fields: Record<string, string>) => {
    for (const [field, variable] of Object.entries(fields))
      origins.set(`${instances.length}.${field}`, variable)
    instances.push(instance)
  }
  if (env.OPENAI_API_KEY) {
    add(
      {
        type: 'openai',
        name: 'openai',
        apiKeys: env.OPENAI_API_KEY,
        ...(env.OPENAI_BASE_URL ? { baseUrl: env.OPENAI_BASE_URL } : {}),
      },
      { apiKeys: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
    )
  }
  const spark = [env.SPARK_APP_ID, env.SPARK_API_KEY, env.SPARK_API_SECRET]
  if (spark.some(Boolean)) {
    add(
      {
        type: 'spark',
        name: 'spark',
        credentials: { appId: spark[0] ?? '', apiKey: spark[1] ?? '', apiSecret: spark[2] ?? '' },
      },
      {
        'credentials.appId': 'SPARK_APP_ID',
        'credentials.apiKey': 'SPARK_API_KEY',
        'credentials.apiSecret': 'SPARK_API_SECRET',
      },
    )
  }
  return { instances, origins }
}

/** The file's instances followed by the environment's, which replace file instances of the same name. */
export function withEnvProviders(
  fileProviders: unknown,
  fromEnv: EnvProviders,
): { providers: unknown[]; origins: Map<string, string> } {
  const names = new Set(fromEnv.instances.map((i) => i.name))
  const kept = (Array.isArray(fileProviders) ? fileProviders : []).filter(
    (p: { name?: unknown } | null) => !names.has(p?.name as string),
  )
  const origins = new Map<string, string>()
  for (const [field, variable] of fromEnv.origins) {
    const [index, ...rest] = field.split('.')
    origins.set(`chat.providers.${kept.length + Number(index)}.${rest.join('.')}`, variable)
  }
  return { providers: [...kept, ...fromEnv.instances], origins }
}
