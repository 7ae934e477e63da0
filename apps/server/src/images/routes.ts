import { randomUUID } from 'node:crypto'
import type { Request, Response, Router } from 'express'
import { imageRequestSchema } from '@kit/protocol/schemas'
import { zipSync } from 'fflate'
import { pseudonymOf, type UserResolver } from '../auth/users'
import { askerOf } from '../chat/asker'
import { clientSignal } from '../chat/client-signal'
import type { ChatService } from '../chat/types'
import type { KitRouteContext } from '../http/types'
import type { ImageGate, ImageService } from './service'

/** `GET` parameters arrive as text: numbers are numbers to the schema. */
function downloadQuery(req: Request) {
  const { n, ...rest } = req.query
  return imageRequestSchema.parse({ ...rest, ...(typeof n === 'string' ? { n: Number(n) } : {}) })
}

/** `POST /api/images` and `GET /api/images/download` (one PNG, or a ZIP of n PNGs). */
export function imageRoutes(
  router: Router,
  context: KitRouteContext,
  images: ImageService,
  { service, users }: { service: ChatService; users: UserResolver },
) {
  /** The asker's rate is counted now; their quota and a concurrent slot once the model is known. */
  async function gated(req: Request, res: Response) {
    const asker = await askerOf(service, await users(req, res), req)
    const gate: ImageGate = (model) => service.admit({ ...asker, model, slot: randomUUID() })
    return { user: pseudonymOf(asker.userId), gate }
  }

  router.post('/api/images', context.json, async (req, res) => {
    const { user, gate } = await gated(req, res)
    const ask = imageRequestSchema.parse(req.body)
    const generated = await images.generate({ ...ask, user }, clientSignal(res), gate)
    res.json({ images: generated })
  })

  router.get('/api/images/download', async (req, res) => {
    const { user, gate } = await gated(req, res)
    const { format: _format, ...ask } = downloadQuery(req)
    const pictures = await images.download({ ...ask, user }, clientSignal(res), gate)
    const [only] = pictures
    if (pictures.length === 1 && only) {
      res.type('image/png').attachment('image.png').send(only)
      return
    }
    const files = Object.fromEntries(pictures.map((png, i) => [`image-${i + 1}.png`, new Uint8Array(png)]))
    // PNG is already compressed: store the entries rather than deflate them again.
    res
      .type('application/zip')
      .attachment('images.zip')
      .send(Buffer.from(zipSync(files, { level: 0 })))
  })
}
