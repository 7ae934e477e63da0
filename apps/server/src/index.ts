// Public API of @kit/server: src/main.ts is a thin user of these.
export * from './channels'
export type * from './bus/types'
export { createMemoryBus, type MemoryBusOptions } from './bus/memory-bus'
export {
  mintSubscribeToken,
  verifySubscribeToken,
  type SubscribeToken,
  type TokenCheck,
  type TokenOptions,
} from './auth/tokens'
export type { AuthorizeDecision, AuthorizeUser, TokenUser } from './auth/authorize'
export type { KitUser } from './auth/users'
export { createKitRouter } from './http/router'
export { createKitApp, type KitAppOptions } from './http/app'
export type { KitRouteContext, KitRouter, KitRouterOptions, KitRoutes } from './http/types'
export { HttpError } from './http/errors'
export { createMetrics, type Metric, type Metrics } from './http/metrics'
export * from './config'
export { createLogger, type Logger } from './logging/logger'
export { startServer, type RunningServer, type StartServerOptions } from './server'
export * from './publisher'
export * from './chat'
export { createRedisBus, type RedisBusOptions } from './bus/redis-bus'
export { connectRedisClients, type RedisClients, type RedisClientsOptions } from './redis/clients'
