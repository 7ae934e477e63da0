import type { Request, Router } from 'express'
import { imageRequestSchema } from '@kit/protocol/schemas'
import { zipSync } from 'fflate'
import { pseudonymOf, type UserResolver } from '../auth/users'
import { clientSignal } from '../chat/client-signal'
import type { KitRouteContext } from '../http/types'
import type { ImageService } from './service'

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
  users: UserResolver,
) {
  router.post('/api/images', context.json, async (req, res) => {
    const user = await users(req, res)
    const ask = imageRequestSchema.parse(req.body)
    const generated = await images.generate({ ...ask, user: pseudonymOf(user.id) }, clientSignal(res))
    res.json({ images: generated })
  })

  router.get('/api/images/download', async (req, res) => {
    const user = await users(req, res)
    const { format: _format, ...ask } = downloadQuery(req)
    const pictures = await images.download({ ...ask, user: pseudonymOf(user.id) }, clientSignal(res))
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
