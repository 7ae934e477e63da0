export * from './schema'
export { ConfigError, loadConfig, parseConfig, type LoadConfigOptions } from './load'
export { ENV_BINDINGS } from './env'
export { resolveSecrets, type ResolvedConfig, type SecretOptions } from './secrets'
