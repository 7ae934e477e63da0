import { HttpsProxyAgent } from 'https-proxy-agent'
import type { SparkInstanceConfig } from '../../config/chat'
import { collectCompletion } from '../collect'
import { resilienceOf, resilientStream } from '../resilience'
import { RoundRobin } from '../rotation'
import type { ChatProvider, ProviderRequest } from '../types'
import { SPARK_MODELS, sparkModel } from './domains'
import { sparkSession } from './session'

export function createSparkProvider(config: SparkInstanceConfig): ChatProvider {
  const credentials = new RoundRobin(config.credentials)
  const settings = resilienceOf(config)
  const agent = config.proxy ? new HttpsProxyAgent(config.proxy) : undefined
  const models = config.models ?? SPARK_MODELS.map((m) => m.domain)
  const stream = (request: ProviderRequest, signal: AbortSignal) => {
    const model = sparkModel(request.model)
    if (!model) throw new Error(`unknown Spark domain ${request.model}`)
    return resilientStream(settings, signal, (_attempt, inner) =>
      sparkSession(
        { provider: config.name, url: config.url, credentials: credentials.next(), model, request, agent },
        inner,
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
    close: async () => agent?.destroy(),
  }
}
