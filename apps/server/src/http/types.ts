import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Request, RequestHandler, Router } from 'express'
import type { AuthorizeUser } from '../auth/authorize'
import type { SubscribeToken, TokenCheck } from '../auth/tokens'
import type { ChannelRegistry } from '../channels/types'
import type { ChatConfigInput } from '../config/chat'
import type { Logger } from '../logging/logger'
import type { ChatStores } from '../storage/types'
import type { Metrics } from './metrics'

/** What every route module gets from the kit router. */
export interface KitRouteContext {
  readonly registry: ChannelRegistry
  readonly logger: Logger
  /** Add the module's own gauges and counters to `GET /metrics`. */
  readonly metrics: Metrics
  /** JSON body parser with the configured size limit (413 past it). */
  readonly json: RequestHandler
  /** Lets a request through only with `Authorization: Bearer <publish secret>` (401 otherwise). */
  readonly requirePublishSecret: RequestHandler
  readonly tokens: {
    mint(key: string, ttlSeconds?: number): SubscribeToken
    verify(token: string, key: string): TokenCheck
  }
  /** Runs when the router closes: stop timers, abort work, close stores. */
  onClose(cleanup: () => void | Promise<void>): void
}

/** A route module: adds its routes (paths from DESIGN.md, starting with `/api/`) to the kit router. */
export type KitRoutes = (router: Router, context: KitRouteContext) => void

export interface KitRouterOptions {
  readonly publishSecret: string
  readonly tokenSecret: string
  /** The channel registry; one is created (in-memory bus) when absent and closed with the router. */
  readonly registry?: ChannelRegistry
  /** Silent when absent. */
  readonly logger?: Logger
  /** Allowed browser origins (`*` for any); none by default. */
  readonly corsOrigins?: readonly string[]
  /** Largest JSON body accepted (default 100 KiB). */
  readonly bodyLimitBytes?: number
  /** Lifetime of tokens minted without an explicit TTL (default 300 s). */
  readonly tokenTtlSeconds?: number
  /** The payment-status demo (`POST /api/demo/payments`); off when false. */
  readonly demo?: false | { readonly stepMs?: number }
  /** `GET /healthz` and `GET /metrics` (default true). */
  readonly operatorRoutes?: boolean
  /**
   * Decides who may subscribe to a key, in place of subscribe tokens: an application with its own
   * sessions checks them here. False answers 403.
   */
  readonly authorizeSubscribe?: (req: Request, key: string) => boolean | Promise<boolean>
  /**
   * The login check of the chat routes: a valid token's user (id, plan and claims as `chat.auth.claims`
   * maps them) is let in only when this answers true; see `chat.auth.authorizeUrl` for the same as a service.
   */
  readonly authorizeUser?: AuthorizeUser
  /** Configuration of the chat, image, usage and provider routes. */
  readonly chat?: ChatConfigInput
  /** Stores for the chat routes instead of the embedded defaults (Redis, PostgreSQL: scale/open.ts). */
  readonly chatStores?: ChatStores
  /** Route modules mounted after the events API; defaults to the kit's own (see default-routes.ts). */
  readonly routes?: readonly KitRoutes[]
}

/** An Express router with every route of the kit, mountable under any prefix. */
export type KitRouter = Router & {
  readonly registry: ChannelRegistry
  readonly metrics: Metrics
  mintSubscribeToken(key: string, ttlSeconds?: number): SubscribeToken
  /**
   * Serves `GET /api/events/:key` ahead of Express, for a server that mounts the router at the root:
   * `createServer((req, res) => kit.handleEventStream(req, res) || app(req, res))`. Express gives every
   * request its own hidden classes and keeps its routing closures for the life of the request, which
   * doubles the memory an idle stream costs. True when it took the request; always false with
   * `authorizeSubscribe`, whose callback expects Express's request.
   */
  handleEventStream(req: IncomingMessage, res: ServerResponse): boolean
  /** Stops the demo and route modules, then closes the registry if the router created it. */
  close(): Promise<void>
}
