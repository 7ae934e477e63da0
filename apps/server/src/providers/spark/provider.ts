import type { SparkInstanceConfig } from '../../config/chat'
import { collectCompletion } from '../collect'
import { ProviderError } from '../errors'
import { keyFingerprint } from '../keys/fingerprint'
import { KeyPool } from '../keys/key-pool'
import { withKeys } from '../keys/with-keys'
import { checkProxy, proxyAgent } from '../proxy/agents'
import { proxyFor } from '../proxy/resolve'
import { resilienceOf, resilientStream } from '../resilience'
import type { ChatProvider, ProviderRequest } from '../types'
import { SPARK_PER_SECOND_LIMIT } from './codes'
import { SPARK_MODELS, sparkModel } from './domains'
import { sparkSession } from './session'

/** `env`: where `HTTPS_PROXY` (wss), `HTTP_PROXY` (ws) and `NO_PROXY` are read. */
export function createSparkProvider(
  config: SparkInstanceConfig,
  env: NodeJS.ProcessEnv = process.env,
): ChatProvider {
  const apps = new KeyPool(
    config.credentials.map((c) => ({ id: keyFingerprint(c.appId, c.apiKey), value: c })),
    config.keyProbe,
  )
  const { perSecondLimit } = config
  const settings = resilienceOf(
    config,
    perSecondLimit &&
      ((error: ProviderError) =>
        error.providerCode === SPARK_PER_SECOND_LIMIT ? perSecondLimit : undefined),
  )
  const proxy = proxyFor(config.url, config.proxy, env)
  const agent = proxy ? proxyAgent(checkProxy(proxy, config.name)) : undefined
  const models = config.models ?? SPARK_MODELS.map((m) => m.domain)
  const stream = (request: ProviderRequest, signal: AbortSignal) => {
    const model = sparkModel(request.model)
    if (!model) throw new Error(`unknown Spark domain ${request.model}`)
    return resilientStream(settings, signal, (_attempt, inner) =>
      withKeys(apps, config.name, (credentials) =>
        sparkSession({ provider: config.name, url: config.url, credentials, model, request, agent }, inner),
      ),
    )
  }
  return {
    name: config.name,
    type: 'spark',
    models,
    defaultModel:
      config.defaultModel ?? (models.includes('generalv3.5') ? 'generalv3.5' : (models[0] ?? 'lite')),
    // Spark answers one choice per request.
    maxChoices: 1,
    demo: false,
    stream,
    complete: (request, signal) => collectCompletion(stream(request, signal)),
    keys: () => apps.health(),
    close: async () => agent?.destroy(),
  }
}
