import type { ServerResponse } from 'node:http'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { ErrorCode, type ApiError } from '@kit/protocol'
import { z } from 'zod'
import { ChannelError } from '../channels/errors'
import type { Logger } from '../logging/logger'

/** Machine-readable fields of a refusal, sent beside `code` and `message`. */
export interface ErrorDetails {
  /** Also sent as the `Retry-After` header. */
  readonly retryAfterSeconds?: number
  /** ISO 8601: when a quota turns over. */
  readonly resetAt?: string
}

/** An error with the HTTP status and protocol code it answers with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

const CHANNEL_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.InvalidKey]: 400,
  [ErrorCode.InvalidEventName]: 400,
  [ErrorCode.ChannelClosed]: 409,
}

// body-parser marks its errors with a `type`; these are the client's fault.
const BODY_ERRORS: Record<string, [number, ErrorCode, string]> = {
  'entity.too.large': [413, ErrorCode.PayloadTooLarge, 'the body is larger than the limit'],
  'entity.parse.failed': [400, ErrorCode.BadRequest, 'the body is not valid JSON'],
  'encoding.unsupported': [415, ErrorCode.BadRequest, 'unsupported content encoding'],
  'charset.unsupported': [415, ErrorCode.BadRequest, 'unsupported charset'],
}

/** Names each failing field: `data: data is required; event: …`. */
export const describeZodError = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')

export function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err
  if (err instanceof ChannelError)
    return new HttpError(CHANNEL_STATUS[err.code] ?? 500, err.code, err.message)
  if (err instanceof z.ZodError) return new HttpError(400, ErrorCode.ValidationFailed, describeZodError(err))
  const { type, status, message } = (err ?? {}) as { type?: unknown; status?: unknown; message?: unknown }
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined
  if (known) return new HttpError(...known)
  // Express's convention for client errors of its router and parsers, e.g. a path that does not decode.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, ErrorCode.BadRequest, String(message))
  }
  return null
}

/** Plain node:http, so that the Express-free event-stream path answers errors the same way. */
export function sendError(res: ServerResponse, error: HttpError): void {
  const body: ApiError = { error: { code: error.code, message: error.message, ...error.details } }
  const { retryAfterSeconds } = error.details
  res
    .writeHead(error.status, {
      'Content-Type': 'application/json; charset=utf-8',
      ...(retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) }),
    })
    .end(JSON.stringify(body))
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = toHttpError(err)
    if (!known) logger.error({ err, method: req.method, path: req.path }, 'request failed')
    // A stream already started cannot turn into a JSON error; ending it lets the client reconnect.
    if (res.headersSent) {
      res.end()
      return
    }
    sendError(res, known ?? new HttpError(500, ErrorCode.Internal, 'internal error'))
  }
}

export const notFound: RequestHandler = (req, res) =>
  sendError(
    res,
    new HttpError(404, ErrorCode.NotFound, `no route for ${req.method} ${req.originalUrl.split('?')[0]}`),
  )
