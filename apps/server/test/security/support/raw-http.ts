import { connect } from 'node:net'

/** One response as read off the wire, framed by HTTP/1.1's rules. */
export interface RawResponse {
  readonly status: number
  /** Lower-case names; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** False while a body is still arriving (an open event stream). */
  readonly complete: boolean
}

export interface Exchange {
  readonly responses: readonly RawResponse[]
  /** The server closed the connection. */
  readonly closed: boolean
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*$/
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/

/** Thrown for bytes that are not an HTTP response where one must start: a frame outside HTTP. */
export class NotHttpError extends Error {}

function parseHead(text: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = text.split('\r\n')
  const status = STATUS_LINE.exec(statusLine)?.[1]
  if (!status) throw new NotHttpError(`not a status line: ${JSON.stringify(statusLine.slice(0, 80))}`)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const match = HEADER_LINE.exec(line)
    if (!match) throw new NotHttpError(`not a header line: ${JSON.stringify(line.slice(0, 80))}`)
    headers[(match[1] ?? '').toLowerCase()] = match[2] ?? ''
  }
  return { status: Number(status), headers }
}

/** Reads a chunked body from `bytes` at `at`: the body, where it ends, and whether the last chunk came. */
function readChunked(bytes: Buffer, at: number): { body: Buffer; end: number; complete: boolean } {
  const parts: Buffer[] = []
  let pos = at
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', pos)
    if (lineEnd < 0) return { body: Buffer.concat(parts), end: bytes.length, complete: false }
    const sizeText = bytes.subarray(pos, lineEnd).toString('latin1')
    if (!/^[0-9a-fA-F]+$/.test(sizeText))
      throw new NotHttpError(`not a chunk size: ${JSON.stringify(sizeText.slice(0, 80))}`)
    const size = parseInt(sizeText, 16)
    const dataEnd = lineEnd + 2 + size
    if (bytes.length < dataEnd + 2) return { body: Buffer.concat(parts), end: bytes.length, complete: false }
    if (bytes.toString('latin1', dataEnd, dataEnd + 2) !== '\r\n')
      throw new NotHttpError('chunk without CRLF')
    if (size === 0) return { body: Buffer.concat(parts), end: dataEnd + 2, complete: true }
    parts.push(bytes.subarray(lineEnd + 2, dataEnd))
    pos = dataEnd + 2
  }
}

/**
 * Splits what a server wrote on one connection into responses, one per request method in order (a HEAD's
 * response has no body, whatever its headers say). Throws `NotHttpError` when bytes sit where a response
 * must start; stops at a response whose body has not ended.
 */
export function parseResponses(bytes: Buffer, methods: readonly string[], closed: boolean): RawResponse[] {
  const responses: RawResponse[] = []
  let pos = 0
  for (const method of methods) {
    if (pos >= bytes.length) break
    const headEnd = bytes.indexOf('\r\n\r\n', pos)
    if (headEnd < 0) {
      const start = bytes.toString('latin1', pos, pos + 7)
      if (!'HTTP/1.'.startsWith(start)) throw new NotHttpError(`not a response: ${JSON.stringify(start)}`)
      break
    }
    const { status, headers } = parseHead(bytes.toString('latin1', pos, headEnd))
    pos = headEnd + 4
    let body: Buffer = Buffer.alloc(0)
    let complete = true
    if (method !== 'HEAD' && status !== 204 && status !== 304) {
      if (headers['transfer-encoding'] === 'chunked') {
        const chunked = readChunked(bytes, pos)
        ;({ body, complete } = chunked)
        pos = chunked.end
      } else if (headers['content-length'] !== undefined) {
        const end = pos + Number(headers['content-length'])
        body = bytes.subarray(pos, Math.min(end, bytes.length))
        complete = bytes.length >= end
        pos = Math.min(end, bytes.length)
      } else {
        // Framed by the end of the connection.
        body = bytes.subarray(pos)
        complete = closed
        pos = bytes.length
      }
    }
    responses.push({ status, headers, body: body.toString('utf8'), complete })
    if (!complete) return responses
  }
  if (pos < bytes.length && responses.length === methods.length)
    throw new NotHttpError(
      `bytes after the last response: ${JSON.stringify(bytes.toString('latin1', pos, pos + 80))}`,
    )
  return responses
}

export interface ExchangeOptions {
  /** Gives up waiting for the answers after this long (they are returned as they stand). */
  readonly timeoutMs?: number
  /** Done once this holds, even if not every response has ended (an event stream stays open). */
  readonly until?: (responses: readonly RawResponse[]) => boolean
}

const methodOf = (request: string | Buffer): string => request.toString('latin1').split(' ', 1)[0] ?? ''

/**
 * Writes `requests` back to back on one connection (pipelined) and reads the answers until every one has
 * ended, `until` holds, the server closes, or the time runs out.
 */
export function exchange(
  port: number,
  requests: readonly (string | Buffer)[],
  { timeoutMs = 5_000, until }: ExchangeOptions = {},
): Promise<Exchange> {
  const methods = requests.map(methodOf)
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let closed = false
    const finish = (error?: unknown): void => {
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve({ responses: parseResponses(Buffer.concat(chunks), methods, closed), closed })
    }
    const check = (): void => {
      try {
        const responses = parseResponses(Buffer.concat(chunks), methods, closed)
        const allDone = responses.length === methods.length && responses.every((r) => r.complete)
        if (closed || allDone || until?.(responses)) finish()
      } catch (err) {
        finish(err)
      }
    }
    const timer = setTimeout(() => finish(), timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      check()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      closed = true
      check()
    })
    socket.write(Buffer.concat(requests.map((r) => (typeof r === 'string' ? Buffer.from(r, 'latin1') : r))))
  })
}

/** A request's bytes: the request line, `Host`, the given headers and the body with its length. */
export function rawRequest(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  body?: string | Buffer,
): Buffer {
  const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost']
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  if (payload) lines.push(`Content-Length: ${payload.length}`)
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload ?? Buffer.alloc(0)])
}
