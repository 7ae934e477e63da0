import { Writable } from 'node:stream'
import { createLogger, type Logger } from '../../src/logging/logger'

export interface LogSink {
  readonly logger: Logger
  /** Every line written so far, parsed. */
  readonly entries: Record<string, unknown>[]
  /** The messages of the lines at `level` (pino's number: 50 is error). */
  messages(level: number): string[]
}

/** A real pino logger whose JSON lines are kept for a test to read. */
export function logSink(): LogSink {
  const entries: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) entries.push(JSON.parse(line))
      done()
    },
  })
  return {
    logger: createLogger({ level: 'debug' }, destination),
    entries,
    messages: (level) => entries.filter((e) => e.level === level).map((e) => String(e.msg)),
  }
}
