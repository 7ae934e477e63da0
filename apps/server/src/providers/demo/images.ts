import { createHash } from 'node:crypto'
import { encodePng } from '../../images/png'
import type { GeneratedImage, ImageGenerator } from '../types'

export const DEMO_IMAGE_MODEL = 'demo-image'

/** A gradient whose colours come from the prompt and the image's index: same request, same pictures. */
function demoPicture(prompt: string, index: number, size: string): Buffer {
  const [width = 256, height = 256] = size.split('x').map(Number)
  const seed = createHash('sha256').update(`${index}:${prompt}`).digest()
  const [r = 0, g = 0, b = 0] = seed
  return encodePng(width, height, (x, y) => [
    (r + (x * 255) / width) & 255,
    (g + (y * 255) / height) & 255,
    (b + ((x + y) * 127) / (width + height)) & 255,
  ])
}

/** Offline pictures; a `url` is a data URL, so nothing has to be served. */
export function createDemoImages(): ImageGenerator {
  return {
    models: [DEMO_IMAGE_MODEL],
    generate: async (request) =>
      Array.from({ length: request.n }, (_, index): GeneratedImage => {
        const b64 = demoPicture(request.prompt, index, request.size).toString('base64')
        return request.format === 'url' ? { url: `data:image/png;base64,${b64}` } : { b64 }
      }),
  }
}
