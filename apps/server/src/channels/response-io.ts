import type { ServerResponse } from 'node:http'

// Two things node:http does per response that cost an event stream dearly, done the cheap way.

/**
 * Writes body text once the headers are out. `res.write` costs four socket writes (chunk size, CRLF,
 * data, CRLF), a cork and an uncork on the next tick; fanning an event out to 10,000 subscribers, that is
 * most of the server's time. One socket write of the framed chunk does the same, in order with what
 * `res` wrote before and writes after (the final chunk of `res.end()`).
 */
export function writeBody(res: ServerResponse, text: string): void {
  const socket = res.socket
  if (!socket || !res.headersSent) res.write(text)
  else if (res.chunkedEncoding) socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`)
  else socket.write(text)
}

/**
 * Node builds a response's header block by concatenation and keeps it (`_header`) for the life of the
 * response: a tree of some twenty string pieces, about 700 bytes per open stream. Once the headers are
 * sent, the same text as one flat string weighs a third of that.
 */
export function flattenHeader(res: ServerResponse): void {
  const sent = res as ServerResponse & { _header?: unknown }
  if (typeof sent._header === 'string') sent._header = Buffer.from(sent._header, 'latin1').toString('latin1')
}
