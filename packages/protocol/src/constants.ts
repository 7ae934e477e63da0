/** Event names of the wire protocol (docs/protocol.md). */
export const EventName = {
  /** A message on the channel; for chat `{ delta, choice }`. */
  Message: 'message',
  /** Chat only: the first event of an answer. */
  Start: 'start',
  /** The server failed; terminal. */
  Error: 'error',
  /** Normal end; terminal. */
  Done: 'done',
} as const
export type EventName = (typeof EventName)[keyof typeof EventName]

/** Events of protocol v1.1 that carry an answer's parts other than text (docs/protocol.md). */
export const PartEventName = {
  Reasoning: 'reasoning',
  ToolInput: 'tool.input',
  ToolCall: 'tool.call',
  ToolApproval: 'tool.approval',
  ToolRunning: 'tool.running',
  ToolResult: 'tool.result',
  ToolError: 'tool.error',
  Source: 'source',
} as const
export type PartEventName = (typeof PartEventName)[keyof typeof PartEventName]

/** Events after which a client closes and does not reconnect. */
export const TERMINAL_EVENTS: readonly string[] = [EventName.Done, EventName.Error]

/** Names an application may push (e.g. `status`). */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/

/** Channel keys: also used in URLs, so only URL-safe characters. */
export const CHANNEL_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

export function isChannelKey(key: unknown): key is string {
  return typeof key === 'string' && CHANNEL_KEY_PATTERN.test(key)
}

export function isEventName(name: unknown): name is string {
  return typeof name === 'string' && EVENT_NAME_PATTERN.test(name)
}

/**
 * Response headers of every event stream; `X-Accel-Buffering: no` stops nginx from holding the answer back.
 * The media type has no `charset`: event streams are always UTF-8, and clients that compare the header with
 * `text/event-stream` exactly (`@microsoft/fetch-event-source`'s README does) would otherwise reject it.
 */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
}

export const DEFAULT_HEARTBEAT_MS = 15_000
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000
export const DEFAULT_RETRY_MS = 1_000

/** Why a stream ended normally. */
export const DoneReason = {
  Stop: 'stop',
  Length: 'length',
  Complete: 'complete',
  Timeout: 'timeout',
  Aborted: 'aborted',
} as const
export type DoneReason = (typeof DoneReason)[keyof typeof DoneReason]

/**
 * Codes carried by `error` events and by HTTP error bodies `{ error: { code, message } }`.
 * Stable strings: clients switch on them.
 */
export const ErrorCode = {
  BadRequest: 'bad_request',
  /** A JSON body nested deeper than the server accepts. */
  JsonTooDeep: 'json_too_deep',
  /** A body in an encoding or charset the server does not read. */
  UnsupportedMediaType: 'unsupported_media_type',
  ValidationFailed: 'validation_failed',
  InvalidKey: 'invalid_key',
  InvalidEventName: 'invalid_event_name',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  /** The login check (`authorizeUser`) refused a user whose token is valid: unknown or blocked. */
  UserRefused: 'user_refused',
  /** The login check could not be asked; retriable. */
  AuthorizerUnavailable: 'authorizer_unavailable',
  NotFound: 'not_found',
  PayloadTooLarge: 'payload_too_large',
  ChannelClosed: 'channel_closed',
  ResumeUnavailable: 'resume_unavailable',
  RateLimited: 'rate_limited',
  QuotaExceeded: 'quota_exceeded',
  /** The server's own request rate limit (per user or client address); see `retryAfterSeconds`. */
  TooManyRequests: 'too_many_requests',
  /** The user (or anonymous address) already has as many answers under way as allowed. */
  TooManyAnswers: 'too_many_answers',
  ContentBlocked: 'content_blocked',
  ProviderAuth: 'provider_auth',
  ProviderQuota: 'provider_quota',
  ProviderError: 'provider_error',
  ProviderUnavailable: 'provider_unavailable',
  UnknownProvider: 'unknown_provider',
  UnknownModel: 'unknown_model',
  UnknownTemplate: 'unknown_template',
  GeneratorLost: 'generator_lost',
  BusUnavailable: 'bus_unavailable',
  Internal: 'internal',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** Why a tool call gave no result. */
export const ToolErrorCode = {
  /** The model called a tool that is not registered. */
  UnknownTool: 'unknown_tool',
  /** The arguments are not JSON or do not match the tool's parameters. */
  InvalidInput: 'invalid_input',
  /** The user denied the call. */
  Denied: 'denied',
  /** Nobody decided within `tools.approvalTimeoutMs`. */
  ApprovalTimeout: 'approval_timeout',
  /** The tool threw. */
  Failed: 'failed',
  /** The tool ran longer than its time limit. */
  Timeout: 'timeout',
  /** The answer used up its tool steps or calls; the model is asked to answer without tools. */
  StepLimit: 'step_limit',
} as const
export type ToolErrorCode = (typeof ToolErrorCode)[keyof typeof ToolErrorCode]
