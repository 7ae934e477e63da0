/** A Spark model: the `domain` sent in the request and the path it must be asked on. */
export interface SparkModel {
  readonly domain: string
  readonly path: string
  /** Only Max and Ultra accept `system` messages. */
  readonly systemMessages: boolean
}

export const SPARK_MODELS: readonly SparkModel[] = [
  { domain: 'lite', path: '/v1.1/chat', systemMessages: false },
  { domain: 'general', path: '/v1.1/chat', systemMessages: false },
  { domain: 'generalv3', path: '/v3.1/chat', systemMessages: false },
  { domain: 'pro-128k', path: '/chat/pro-128k', systemMessages: false },
  { domain: 'generalv3.5', path: '/v3.5/chat', systemMessages: true },
  { domain: 'max-32k', path: '/chat/max-32k', systemMessages: true },
  { domain: '4.0Ultra', path: '/v4.0/chat', systemMessages: true },
  { domain: 'generalv2', path: '/v2.1/chat', systemMessages: false },
]

export function sparkModel(domain: string): SparkModel | undefined {
  return SPARK_MODELS.find((model) => model.domain === domain)
}
