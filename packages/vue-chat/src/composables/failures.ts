import type { ErrorData } from '@kit/protocol'
import type { StreamError } from '@kit/sse-client'
import type { StreamFailure } from '../types'

export function serverFailure(data: ErrorData): StreamFailure {
  return {
    source: 'server',
    code: data.code,
    message: data.message,
    retriable: data.retriable,
    discardPartial: data.discardPartial,
  }
}

/** A transport failure; an HTTP error body `{ error: { code, message } }` lends its code and message. */
export function transportFailure(error: StreamError): StreamFailure {
  const body = parseErrorBody(error.body)
  const status = error.status
  return {
    source: 'transport',
    code: body?.code ?? error.kind,
    message: body?.message ?? error.message,
    retriable: status === undefined || status >= 500 || status === 408 || status === 429,
    status,
  }
}

function parseErrorBody(body: string | undefined): { code: string; message: string } | undefined {
  if (!body) return undefined
  try {
    const { error } = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }
    // A fresh object of which only `code` and `message` are read: no copy needed.
    if (typeof error?.code === 'string' && typeof error.message === 'string') {
      return error as { code: string; message: string }
    }
  } catch {
    // Not JSON (a proxy's HTML error page): keep the transport's own description.
  }
  return undefined
}
