import type { OpenAIInstanceConfig } from '../../config/chat'
import { callWithKeys, withKeys } from '../keys/with-keys'
import { resilienceOf, resilientCall, resilientStream } from '../resilience'
import type { ChatProvider } from '../types'
import { completeChat, streamChat } from './chat'
import { createOpenAIClients } from './client'
import { createOpenAICosts } from './costs'
import { createOpenAIImages } from './images'

export const OPENAI_DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1']

/** `env`: where `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` are read. */
export function createOpenAIProvider(
  config: OpenAIInstanceConfig,
  env: NodeJS.ProcessEnv = process.env,
): ChatProvider {
  const clients = createOpenAIClients(config, env)
  const settings = resilienceOf(config)
  const models = config.models ?? OPENAI_DEFAULT_MODELS
  const { keys } = clients
  return {
    name: config.name,
    type: 'openai',
    models,
    defaultModel: config.defaultModel ?? models[0] ?? 'gpt-4o-mini',
    maxChoices: 10,
    demo: false,
    stream: (request, signal) =>
      resilientStream(settings, signal, (_attempt, inner) =>
        withKeys(keys, config.name, (client) => streamChat(config.name, client, request, inner)),
      ),
    complete: (request, signal) =>
      resilientCall(settings, signal, (_attempt, inner) =>
        callWithKeys(keys, config.name, (client) => completeChat(config.name, client, request, inner)),
      ),
    keys: () => keys.health(),
    ...(config.imageModels.length > 0
      ? { images: createOpenAIImages(clients, config.imageModels, settings) }
      : {}),
    ...(clients.admin ? { costs: createOpenAICosts(clients.admin, settings) } : {}),
    close: () => clients.close(),
  }
}
