import { randomBytes } from 'node:crypto'
import { ConfigError } from './load'
import type { ServerConfig } from './schema'

export type ResolvedConfig = ServerConfig & { readonly publishSecret: string; readonly tokenSecret: string }

export interface SecretOptions {
  /** In production a missing secret is an error; elsewhere one is generated for this run. */
  readonly production: boolean
  /** Told once about each generated secret, so a developer can use it locally. */
  readonly onGenerated: (variable: string, secret: string) => void
}

const SECRETS = [
  ['publishSecret', 'KIT_PUBLISH_SECRET'],
  ['tokenSecret', 'KIT_TOKEN_SECRET'],
] as const

export function resolveSecrets(
  config: ServerConfig,
  { production, onGenerated }: SecretOptions,
): ResolvedConfig {
  const resolved = { ...config }
  for (const [field, variable] of SECRETS) {
    if (resolved[field] !== undefined) continue
    if (production)
      throw new ConfigError(`invalid configuration:\n  - ${field} (from ${variable}): required in production`)
    const secret = randomBytes(32).toString('base64url')
    resolved[field] = secret
    onGenerated(variable, secret)
  }
  return resolved as ResolvedConfig
}
