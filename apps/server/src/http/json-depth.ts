import { ErrorCode } from '@kit/protocol'
import { KitError } from '../errors'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPENERS = new Set([0x5b, 0x7b])
const CLOSERS = new Set([0x5d, 0x7d])

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, read in one pass over its UTF-8 bytes
 * before anything parses it: a body of 40,000 `[` fits the size limit yet overflows the stack of every
 * recursive walk of the parsed value (validation, `JSON.stringify`). Brackets inside strings do not count;
 * malformed text is left for the parser to refuse.
 */
export function nestsDeeperThan(bytes: Uint8Array, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number
    if (inString) {
      if (byte === BACKSLASH) i++
      else if (byte === QUOTE) inString = false
    } else if (byte === QUOTE) inString = true
    else if (OPENERS.has(byte)) {
      if (++depth > limit) return true
    } else if (CLOSERS.has(byte)) depth--
  }
  return false
}

/** body-parser's `verify` hook: refuses a body nested deeper than `limit` before it is parsed. */
export const refuseDeepJson =
  (limit: number) =>
  (_req: unknown, _res: unknown, body: Buffer): void => {
    if (nestsDeeperThan(body, limit))
      throw new KitError(
        ErrorCode.JsonTooDeep,
        `the body nests arrays and objects deeper than ${limit} levels`,
      )
  }
