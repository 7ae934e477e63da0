import type { ImageModelLimits } from '../config/chat'
import { DEMO_IMAGE_MODEL } from '../providers/demo/images'

/** Sizes and counts each image model accepts (OpenAI's documentation); `chat.images.models` adds or overrides. */
export const BUILTIN_IMAGE_LIMITS: Readonly<Record<string, ImageModelLimits>> = {
  'dall-e-2': { sizes: ['256x256', '512x512', '1024x1024'], maxN: 10, formats: ['url', 'b64_json'] },
  'dall-e-3': { sizes: ['1024x1024', '1792x1024', '1024x1792'], maxN: 1, formats: ['url', 'b64_json'] },
  'gpt-image-1': { sizes: ['1024x1024', '1536x1024', '1024x1536'], maxN: 10, formats: ['b64_json'] },
  [DEMO_IMAGE_MODEL]: { sizes: ['256x256', '512x512', '1024x1024'], maxN: 10, formats: ['url', 'b64_json'] },
}
