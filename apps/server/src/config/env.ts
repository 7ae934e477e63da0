import { SCALE_ENV_BINDINGS } from '../scale/config'

/** Where each environment variable lands in the configuration, and how its text becomes a value. */
type Parse = (raw: string) => unknown

// Text that is not a number or a boolean is passed on as is, so that the schema names the field it broke.
const int: Parse = (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw)
const bool: Parse = (raw) => ({ true: true, '1': true, false: false, '0': false })[raw.trim()] ?? raw
const list: Parse = (raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
const text: Parse = (raw) => raw

export const ENV_BINDINGS: readonly (readonly [variable: string, path: string, parse: Parse])[] = [
  ['PORT', 'port', int],
  ['HOST', 'host', text],
  ['KIT_PUBLISH_SECRET', 'publishSecret', text],
  ['KIT_TOKEN_SECRET', 'tokenSecret', text],
  ['KIT_TOKEN_TTL_SECONDS', 'tokens.defaultTtlSeconds', int],
  ['KIT_CORS_ORIGINS', 'cors.origins', list],
  ['KIT_BODY_LIMIT_BYTES', 'http.bodyLimitBytes', int],
  ['KIT_MAX_JSON_DEPTH', 'http.maxJsonDepth', int],
  ['KIT_TRUST_PROXY', 'http.trustProxy', int],
  ['KIT_HEADERS_TIMEOUT_MS', 'http.headersTimeoutMs', int],
  ['KIT_REQUEST_TIMEOUT_MS', 'http.requestTimeoutMs', int],
  ['KIT_MAX_CONNECTIONS_PER_IP', 'http.maxConnectionsPerIp', int],
  ['KIT_HEARTBEAT_MS', 'channels.heartbeatMs', int],
  ['KIT_RETRY_MS', 'channels.retryMs', int],
  ['KIT_CHANNEL_TIMEOUT_MS', 'channels.timeoutMs', int],
  ['KIT_EARLY_SEND_TTL_MS', 'channels.earlySendTtlMs', int],
  ['KIT_MAX_QUEUE_BYTES', 'channels.maxQueueBytes', int],
  ['KIT_REPLAY_MAX_EVENTS', 'channels.replay.maxEvents', int],
  ['KIT_REPLAY_MAX_BYTES', 'channels.replay.maxBytes', int],
  ['KIT_REPLAY_GRACE_MS', 'channels.replay.graceMs', int],
  ['KIT_DEMO', 'demo.enabled', bool],
  ['KIT_DEMO_STEP_MS', 'demo.stepMs', int],
  ['KIT_STATIC_DIR', 'staticDir', text],
  ['LOG_LEVEL', 'log.level', text],
  ['KIT_AUTH_MODE', 'chat.auth.mode', text],
  ['KIT_JWT_SECRET', 'chat.auth.jwtSecret', text],
  ['KIT_JWT_MAX_LIFETIME_SECONDS', 'chat.auth.maxLifetimeSeconds', int],
  ['KIT_JWT_CLOCK_SKEW_SECONDS', 'chat.auth.clockSkewSeconds', int],
  ['KIT_AUTHORIZE_URL', 'chat.auth.authorizeUrl', text],
  ['KIT_STORAGE_PATH', 'chat.storage.path', text],
  ['KIT_JOURNAL_PATH', 'chat.history.journalPath', text],
  ['KIT_SESSION_IDLE_MINUTES', 'chat.sessions.idleMinutes', int],
  ['KIT_QUOTA_TIME_ZONE', 'chat.quotas.timeZone', text],
  ['KIT_CONCURRENT_ANSWERS', 'chat.limits.concurrentAnswers', int],
  ['KIT_RATE_PER_USER', 'chat.limits.rate.perUser', int],
  ['KIT_RATE_PER_IP', 'chat.limits.rate.perIp', int],
  ['KIT_RATE_WINDOW_SECONDS', 'chat.limits.rate.windowSeconds', int],
  ['KIT_SESSION_CONTINUE_LATEST', 'chat.sessions.continueLatest', bool],
  ['KIT_MODERATION_WORDS_FILE', 'chat.moderation.wordsFile', text],
  ...SCALE_ENV_BINDINGS,
]

export interface EnvInput {
  /** Nested configuration built from the variables that are set. */
  readonly input: Record<string, unknown>
  /** Configuration path → the variable it came from, to name it in errors. */
  readonly origins: ReadonlyMap<string, string>
}

export function configFromEnv(env: NodeJS.ProcessEnv): EnvInput {
  const input: Record<string, unknown> = {}
  const origins = new Map<string, string>()
  for (const [variable, path, parse] of ENV_BINDINGS) {
    const raw = env[variable]
    if (raw === undefined || raw === '') continue
    setPath(input, path.split('.'), parse(raw))
    origins.set(path, variable)
  }
  return { input, origins }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path
  if (head === undefined) return
  if (rest.length === 0) {
    target[head] = value
    return
  }
  const next = (target[head] ??= {}) as Record<string, unknown>
  setPath(next, rest, value)
}
