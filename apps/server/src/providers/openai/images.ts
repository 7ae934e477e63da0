import type { ImageGenerateParamsNonStreaming } from 'openai/resources/images'
import type { GeneratedImage, ImageGenerationRequest, ImageGenerator } from '../types'
import type { OpenAIClients } from './client'
import { mapOpenAIError } from './errors'
import { callWithKeys } from '../keys/with-keys'
import { resilientCall, type Resilience } from '../resilience'

/** gpt-image models always answer base64 and reject `response_format`. */
const answersBase64Only = (model: string) =>
  model.startsWith('gpt-image') || model.startsWith('chatgpt-image')

function params(request: ImageGenerationRequest): ImageGenerateParamsNonStreaming {
  return {
    model: request.model,
    prompt: request.prompt,
    n: request.n,
    size: request.size as ImageGenerateParamsNonStreaming['size'],
    ...(answersBase64Only(request.model) ? {} : { response_format: request.format }),
    ...(request.user === undefined ? {} : { user: request.user }),
  }
}

export function createOpenAIImages(
  clients: OpenAIClients,
  models: string[],
  settings: Resilience,
): ImageGenerator {
  return {
    models,
    generate: (request, signal) =>
      resilientCall(settings, signal, (_attempt, inner) =>
        callWithKeys(clients.keys, settings.provider, async (client) => {
          try {
            const answer = await client.images.generate(params(request), { signal: inner })
            return (answer.data ?? []).map((image): GeneratedImage =>
              image.b64_json ? { b64: image.b64_json } : { url: image.url ?? '' },
            )
          } catch (err) {
            throw mapOpenAIError(settings.provider, err)
          }
        }),
      ),
  }
}
