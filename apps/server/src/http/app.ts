import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import express, { type Express } from 'express'
import type { Logger } from '../logging/logger'
import { errorHandler, notFound } from './errors'
import type { KitRouter } from './types'

export interface KitAppOptions {
  readonly router: KitRouter
  readonly logger: Logger
  /** Hops of trusted proxies (Express `trust proxy`). */
  readonly trustProxy?: number
  /** A built front end served at `/`, with `index.html` for every other GET outside `/api`. */
  readonly staticDir?: string
}

/** The standalone app: the kit router at the root, then the front end when one is configured. */
export function createKitApp({ router, logger, trustProxy = 0, staticDir }: KitAppOptions): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', trustProxy)
  app.use(router)
  if (staticDir) {
    const root = resolve(staticDir)
    if (!existsSync(root)) throw new Error(`staticDir ${root} does not exist`)
    app.use(express.static(root, { index: 'index.html' }))
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(resolve(root, 'index.html')))
  }
  app.use(notFound)
  app.use(errorHandler(logger))
  return app
}
