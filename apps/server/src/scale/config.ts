import { z } from 'zod'

/** Settings of the scale-out engines, as fields of the server configuration. */
export const scaleConfigShape = {
  redis: z
    .object({
      /** Set: the bus, replay buffers, sessions, quotas and chat stream state live in this Redis. */
      url: z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'a Redis URL starts with redis:// or rediss://')
        .optional(),
      /** Put before every key and pub/sub channel, so that several deployments can share one Redis. */
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{0,64}$/, 'use up to 64 of A-Z, a-z, 0-9, "_", ".", ":" and "-"')
        .default('kit:'),
      /** An answer whose generating instance stops renewing its lease this long is ended as lost. */
      generatorLeaseMs: z.number().int().min(100).default(5000),
    })
    .prefault({}),
  database: z
    .object({
      /** Set: history and usage live in this PostgreSQL database instead of SQLite. */
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/, 'a PostgreSQL URL starts with postgres:// or postgresql://')
        .optional(),
      /** Schema of the kit's tables, created when missing; unset = the connection's search path. */
      schema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a schema name is lower case letters, digits and "_"')
        .optional(),
    })
    .prefault({}),
}

export type RedisSettings = z.infer<typeof scaleConfigShape.redis>
export type DatabaseSettings = z.infer<typeof scaleConfigShape.database>

const text = (raw: string): string => raw

/** Environment variables of the scale-out settings: variable, configuration path, parser. */
export const SCALE_ENV_BINDINGS = [
  ['REDIS_URL', 'redis.url', text],
  ['KIT_REDIS_PREFIX', 'redis.prefix', text],
  ['DATABASE_URL', 'database.url', text],
  ['KIT_DATABASE_SCHEMA', 'database.schema', text],
] as const
