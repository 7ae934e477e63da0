import type { ServerResponse } from 'node:http'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { ErrorCode, type ApiError } from '@kit/protocol'
import { z } from 'zod'
import { KitError } from '../errors'
import type { Logger } from '../logging/logger'
import { HTTP_STATUS } from './status'

// body-parser marks its errors with a `type`; these are the client's fault.
const BODY_ERRORS: Readonly<Record<string, readonly [ErrorCode, string]>> = {
  'entity.too.large': [ErrorCode.PayloadTooLarge, 'the body is larger than the limit'],
  'entity.parse.failed': [ErrorCode.BadRequest, 'the body is not valid JSON'],
  'encoding.unsupported': [ErrorCode.UnsupportedMediaType, 'unsupported content encoding'],
  'charset.unsupported': [ErrorCode.UnsupportedMediaType, 'unsupported charset'],
}

/** Names each failing field: `data: data is required; event: …`. */
export const describeZodError = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')

/** The error as the client is told about it; null for a failure of the server, whose cause stays here. */
export function toKitError(err: unknown): KitError | null {
  if (err instanceof KitError) return err
  if (err instanceof z.ZodError) return new KitError(ErrorCode.ValidationFailed, describeZodError(err))
  const { type, status, message } = (err ?? {}) as { type?: unknown; status?: unknown; message?: unknown }
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined
  if (known) return new KitError(...known)
  // Express's convention for client errors of its router and parsers, e.g. a path that does not decode.
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new KitError(status === 404 ? ErrorCode.NotFound : ErrorCode.BadRequest, String(message))
  return null
}

/** Plain node:http, so that the Express-free event-stream path answers errors the same way. */
export function sendError(res: ServerResponse, error: KitError): void {
  const body: ApiError = { error: { code: error.code, message: error.message, ...error.details } }
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' }
  if (error.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(Math.ceil(error.retryAfterSeconds))
  res.writeHead(HTTP_STATUS[error.code], headers).end(JSON.stringify(body))
}

export const internalError = (): KitError => new KitError(ErrorCode.Internal, 'internal error')

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = toKitError(err)
    if (!known) logger.error({ err, method: req.method, path: req.path }, 'request failed')
    // A stream already started cannot turn into a JSON error; ending it lets the client reconnect.
    if (res.headersSent) {
      res.end()
      return
    }
    sendError(res, known ?? internalError())
  }
}

export const notFound: RequestHandler = (req, res) =>
  sendError(
    res,
    new KitError(ErrorCode.NotFound, `no route for ${req.method} ${req.originalUrl.split('?')[0]}`),
  )
