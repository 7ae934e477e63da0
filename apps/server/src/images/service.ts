import { ErrorCode } from '@kit/protocol'
import type { ImageModelLimits } from '../config/chat'
import { KitError } from '../errors'
import type { ProviderCatalog } from '../providers/catalog'
import type { ChatProvider, GeneratedImage, ImageGenerator } from '../providers/types'
import { rethrowProviderFailure } from '../chat/errors'
import type { Admission } from '../quotas/admission'
import { BUILTIN_IMAGE_LIMITS } from './limits'

export interface ImageAsk {
  readonly prompt: string
  readonly n: number
  readonly size: string
  readonly format: 'url' | 'b64_json'
  readonly provider?: string
  readonly model?: string
  readonly user?: string
}

/** Lets a request for pictures of `model` through (quota, concurrent answers) or throws. */
export type ImageGate = (model: string) => Promise<Admission>

export interface ImageService {
  generate(ask: ImageAsk, signal: AbortSignal, gate?: ImageGate): Promise<GeneratedImage[]>
  /** The pictures' bytes: asks for base64 when the model allows it, else fetches the URLs. */
  download(ask: Omit<ImageAsk, 'format'>, signal: AbortSignal, gate?: ImageGate): Promise<Buffer[]>
}

const invalid = (message: string) => new KitError(ErrorCode.ValidationFailed, message)
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024

async function fetchPicture(url: string, signal: AbortSignal): Promise<Buffer> {
  const res = await fetch(url, { signal })
  if (!res.ok)
    throw new KitError(ErrorCode.ProviderError, `the image could not be fetched (HTTP ${res.status})`)
  const bytes = Buffer.from(await res.arrayBuffer())
  if (bytes.length > MAX_DOWNLOAD_BYTES) throw new KitError(ErrorCode.ProviderError, 'the image is too large')
  return bytes
}

export function createImageService(
  providers: ProviderCatalog,
  overrides: Readonly<Record<string, ImageModelLimits>> = {},
): ImageService {
  const limits = { ...BUILTIN_IMAGE_LIMITS, ...overrides }

  /** The named instance, or the default one when it draws, or the first that does. */
  function pick(name: string | undefined): ChatProvider & { images: ImageGenerator } {
    const candidates = name === undefined ? [providers.find(), ...providers.list()] : [providers.find(name)]
    const found = candidates.find((p) => p?.images !== undefined)
    if (found?.images) return { ...found, images: found.images }
    if (name !== undefined && !providers.find(name)) {
      throw new KitError(ErrorCode.UnknownProvider, `no provider instance is named ${name}`)
    }
    throw new KitError(ErrorCode.UnknownProvider, `${name ?? 'no provider instance'} generates no images`)
  }

  function resolve(ask: Omit<ImageAsk, 'format'>) {
    const provider = pick(ask.provider)
    const model = ask.model ?? provider.images.models[0] ?? ''
    const limit = limits[model]
    if (!provider.images.models.includes(model) || !limit) {
      throw new KitError(ErrorCode.UnknownModel, `${provider.name} has no image model ${model}`)
    }
    if (ask.n > limit.maxN) throw invalid(`${model} draws at most ${limit.maxN} image(s) per request`)
    if (!limit.sizes.includes(ask.size))
      throw invalid(`${model} draws ${limit.sizes.join(', ')}, not ${ask.size}`)
    return { provider, model, limit }
  }

  async function draw(
    { provider, model }: ReturnType<typeof resolve>,
    ask: Omit<ImageAsk, 'format'>,
    format: ImageAsk['format'],
    signal: AbortSignal,
    gate: ImageGate | undefined,
  ): Promise<GeneratedImage[]> {
    const { prompt, n, size, user } = ask
    const admission = await gate?.(model)
    try {
      const images = await provider.images.generate(
        { prompt, model, n, size, format, ...(user ? { user } : {}) },
        signal,
      )
      await admission?.settle(false)
      return images
    } catch (err) {
      // As for chat: no picture, no charge, unless the user gave up on it.
      await admission?.settle(!signal.aborted)
      rethrowProviderFailure(err)
    }
  }

  return {
    async generate(ask, signal, gate) {
      const resolved = resolve(ask)
      const { formats } = resolved.limit
      if (!formats.includes(ask.format))
        throw invalid(`${resolved.model} answers ${formats.join(' or ')} only`)
      return draw(resolved, ask, ask.format, signal, gate)
    },
    async download(ask, signal, gate) {
      const resolved = resolve(ask)
      const format = resolved.limit.formats.includes('b64_json') ? 'b64_json' : 'url'
      const images = await draw(resolved, ask, format, signal, gate)
      return Promise.all(
        images.map((image) =>
          'b64' in image ? Buffer.from(image.b64, 'base64') : fetchPicture(image.url, signal),
        ),
      )
    },
  }
}
