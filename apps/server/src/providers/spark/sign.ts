import { createHmac } from 'node:crypto'

export interface SparkSignInput {
  /** `wss://spark-api.xf-yun.com` (scheme and host; a port is kept). */
  readonly url: string
  /** The real path of the model, e.g. `/chat/pro-128k`: the signature covers it. */
  readonly path: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly date?: Date
}

/** The string Spark signs: host, date and request line, one per line. */
export function sparkSignatureOrigin(host: string, date: string, path: string): string {
  return `host: ${host}\ndate: ${date}\nGET ${path} HTTP/1.1`
}

export function sparkSignature(apiSecret: string, origin: string): string {
  return createHmac('sha256', apiSecret).update(origin).digest('base64')
}

/** The signed WebSocket URL: the credentials travel in the query (authorization, date, host). */
export function signSparkUrl(input: SparkSignInput): string {
  const base = new URL(input.url)
  const date = (input.date ?? new Date()).toUTCString()
  const signature = sparkSignature(input.apiSecret, sparkSignatureOrigin(base.host, date, input.path))
  const authorization = Buffer.from(
    `api_key="${input.apiKey}", algorithm="hmac-sha256", headers="host date request-line", signature="${signature}"`,
  ).toString('base64')
  const query = new URLSearchParams({ authorization, date, host: base.host })
  return `${base.protocol}//${base.host}${input.path}?${query.toString()}`
}
