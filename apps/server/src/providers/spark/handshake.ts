import type { IncomingMessage } from 'node:http'
import { ErrorCode } from '@kit/protocol'
import { ProviderError } from '../errors'

async function readMessage(res: IncomingMessage): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of res) {
    size += (part as Buffer).length
    if (size > 16_384) break
    parts.push(part as Buffer)
  }
  const text = Buffer.concat(parts).toString('utf8')
  try {
    const { message } = JSON.parse(text) as { message?: unknown }
    return typeof message === 'string' ? message : text
  } catch {
    return text
  }
}

/**
 * Spark refuses a handshake with an HTTP answer: 401 for a bad key or signature, 403 for clock skew or an IP
 * not allowed. Those are fatal; 429 and 5xx are retried.
 */
export async function handshakeError(provider: string, res: IncomingMessage): Promise<ProviderError> {
  const status = res.statusCode ?? 0
  const message = (await readMessage(res).catch(() => '')).slice(0, 300)
  const detail = `${provider} refused the connection (HTTP ${status}${message ? `: ${message}` : ''})`
  if (status === 401 || status === 403) {
    return new ProviderError({
      code: ErrorCode.ProviderAuth,
      message: detail,
      retriable: false,
      provider,
      status,
    })
  }
  const transient = status === 429 || status >= 500
  return new ProviderError({
    code: status === 429 ? ErrorCode.RateLimited : ErrorCode.ProviderError,
    message: detail,
    retriable: transient,
    retry: transient,
    provider,
    status,
  })
}
