import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { z } from 'zod'
import { configFromEnv } from './env'
import { providersFromEnv, withEnvProviders } from './env-providers'
import { serverConfigSchema, type ServerConfig } from './schema'

/** A configuration that cannot start the server; the message names every bad field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export interface LoadConfigOptions {
  readonly env?: NodeJS.ProcessEnv
  /** JSON file read before the environment, which wins; defaults to `$KIT_CONFIG`. */
  readonly file?: string
  /** Values under both the file and the environment: what a program built on this defaults to. */
  readonly defaults?: Record<string, unknown>
}

/** Reads the optional JSON file and the environment, and validates the result. */
export function loadConfig({
  env = process.env,
  file = env.KIT_CONFIG,
  defaults = {},
}: LoadConfigOptions = {}): ServerConfig {
  const fromFile = file ? readConfigFile(file) : {}
  const fromEnv = configFromEnv(env)
  const merged = merge(merge(defaults, fromFile), fromEnv.input)
  const envProviders = providersFromEnv(env)
  if (envProviders.length === 0) return withJournalBesideStorage(parseConfig(merged, fromEnv.origins))
  const chat = isPlainObject(merged.chat) ? merged.chat : {}
  const { providers, origins } = withEnvProviders(chat.providers, envProviders)
  merged.chat = { ...chat, providers }
  return withJournalBesideStorage(parseConfig(merged, new Map([...fromEnv.origins, ...origins])))
}

/**
 * The server run from the environment journals history writes in `journal.db` beside its SQLite file
 * unless told where; an application embedding the kit gets a journal file only when it names one.
 */
function withJournalBesideStorage(config: ServerConfig): ServerConfig {
  const { storage, history } = config.chat
  if (history.journalPath || storage.path === ':memory:') return config
  const journalPath = join(dirname(storage.path), 'journal.db')
  return { ...config, chat: { ...config.chat, history: { ...history, journalPath } } }
}

/** Validates a configuration object; `origins` maps paths to the variables they came from. */
export function parseConfig(input: unknown, origins: ReadonlyMap<string, string> = new Map()): ServerConfig {
  const result = serverConfigSchema.safeParse(input)
  if (result.success) return result.data
  throw new ConfigError(`invalid configuration:\n${describeIssues(result.error, origins)}`)
}

function describeIssues(error: z.ZodError, origins: ReadonlyMap<string, string>): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.') || '(root)'
      const variable = origins.get(path)
      return `  - ${path}${variable ? ` (from ${variable})` : ''}: ${issue.message}`
    })
    .join('\n')
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read the config file ${file}: ${(err as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`the config file ${file} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`the config file ${file} must hold a JSON object`)
  }
  return parsed as Record<string, unknown>
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Deep merge of plain objects; arrays and values of `over` replace those of `base`. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const current = out[key]
    out[key] = isPlainObject(current) && isPlainObject(value) ? merge(current, value) : value
  }
  return out
}
